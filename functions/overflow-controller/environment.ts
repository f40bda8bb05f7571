import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { overflowControllerFields } from './environment-fields.js';

export * from './environment-fields.js';

/**
 * What the overflow controller reads from `process.env`, as the zod schema PeaklineFunction checks at
 * synth; the handler checks the very same fields by hand at cold start, and it and the wiring take what
 * they derive from environment-fields.ts, so the Lambda builds no schema.
 */
export const overflowControllerEnvironment = zodSchemaOf(overflowControllerFields);
