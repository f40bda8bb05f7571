import type { z } from 'zod';

/**
 * Validates a function's environment once, at cold start. A missing or malformed variable fails the
 * init phase with every offending name in the message, instead of failing the hundredth record later.
 */
export const readEnvironment = <T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.output<T> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid function environment: ${problems}`);
  }
  return result.data;
};
