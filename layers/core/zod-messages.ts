/**
 * Zod's default messages describe zod's view ("Too small: expected number to be >=30"); these describe
 * what the person who wrote the value has to change. Shared by the event contracts (read by shop
 * developers) and the stage configuration (read by ops). Messages set on a schema take precedence.
 */
import type { z } from 'zod';

const article = (expected: string): string => {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a JSON object';
    case 'array':
      return 'an array';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
};

export const readableErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required, but missing (expected ${article(issue.expected)})`
        : `expected ${article(issue.expected)}`;
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return `expected at least ${min} character${min === '1' ? '' : 's'}`;
      if (issue.origin === 'array') return `expected at least ${min} entr${min === '1' ? 'y' : 'ies'}`;
      return `expected ${issue.inclusive ? 'at least' : 'more than'} ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `expected at most ${max} characters`;
      if (issue.origin === 'array') return `expected at most ${max} entries`;
      return `expected ${issue.inclusive ? 'at most' : 'less than'} ${max}`;
    }
    default:
      return undefined;
  }
};
