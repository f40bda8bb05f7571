// @ts-check
import { basename } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*$/;

/** Files are kebab-case, so imports read the same on case-insensitive file systems. */
const kebabCaseFilenames = {
  meta: { type: 'suggestion', schema: [], messages: { kebab: 'File name "{{name}}" is not kebab-case.' } },
  create(context) {
    return {
      Program(node) {
        const name = basename(context.filename);
        if (!KEBAB_CASE.test(name)) context.report({ node, messageId: 'kebab', data: { name } });
      },
    };
  },
};

// A focused or skipped test silently shrinks what CI checks.
const focusedOrSkipped = ['describe', 'it', 'test'].flatMap((object) =>
  ['only', 'skip', 'todo', 'skipIf', 'runIf'].map((property) => ({
    object,
    property,
    message: `${object}.${property} leaves tests out of the run; remove it before committing.`,
  })),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.peakline/', 'bench/.tmp/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { peakline: { rules: { 'kebab-case-filenames': kebabCaseFilenames } } },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'peakline/kebab-case-filenames': 'error',
      'no-restricted-properties': ['error', ...focusedOrSkipped],
      'no-restricted-globals': [
        'error',
        { name: 'xit', message: 'xit skips a test.' },
        { name: 'xdescribe', message: 'xdescribe skips tests.' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
