import * as z from 'zod';
import type { EnvFields, EnvValues } from './fields.js';

/**
 * The zod schema of hand-checked fields, for what takes a schema: the CDK app's synth-time check
 * (PeaklineFunction's `environmentSchema`, which checks each field of `.shape` alone) and the code that
 * parses an environment object outside Lambda (the local stack, the bench). Each field is the hand check
 * itself, so the two never disagree.
 */
export const zodSchemaOf = <F extends EnvFields>(
  fields: F,
): z.ZodObject<{ [K in keyof F]: z.ZodType<EnvValues<F>[K], unknown> }> =>
  z.object(
    Object.fromEntries(
      Object.entries(fields).map(([name, field]) => [
        name,
        // `.optional()` first: zod's object refuses an absent key whose schema is not optional before the
        // field sees it, so a field that takes absence (a default, an optional variable) would be refused.
        z
          .unknown()
          .optional()
          .transform((raw, context) => {
            try {
              return field.parse(raw);
            } catch (error) {
              context.addIssue({
                code: 'custom',
                message: error instanceof Error ? error.message : String(error),
              });
              return z.NEVER;
            }
          }),
      ]),
    ),
  ) as unknown as z.ZodObject<{ [K in keyof F]: z.ZodType<EnvValues<F>[K], unknown> }>;
