import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { factRecorderFields } from './environment-fields.js';

export type { FactRecorderEnvironment } from './environment-fields.js';

/**
 * What the fact recorder reads from `process.env`, as the zod schema PeaklineFunction checks at synth; the
 * handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const factRecorderEnvironment = zodSchemaOf(factRecorderFields);
