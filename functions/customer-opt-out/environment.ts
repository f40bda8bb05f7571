import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { optOutFields } from './environment-fields.js';

export type { OptOutEnvironment } from './environment-fields.js';

/**
 * What the opt-out consumer reads from `process.env`, as the zod schema PeaklineFunction checks at synth;
 * the handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const optOutEnvironment = zodSchemaOf(optOutFields);
