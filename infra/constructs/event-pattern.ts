import type { EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import type { EventPattern } from '#events/rules.js';

/** Top-level fields of EventBridge's envelope, in CDK's camelCase. */
const TOP_LEVEL: Readonly<Record<string, keyof CdkEventPattern>> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

/**
 * The CDK spells the envelope's fields in camelCase and writes them back in EventBridge's spelling;
 * patterns are shared with the local bus in EventBridge's own spelling, so they are renamed here.
 */
export const toCdkEventPattern = (pattern: EventPattern): CdkEventPattern => {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const key = TOP_LEVEL[field];
    if (!key) throw new Error(`Event pattern field "${field}" is not a top-level EventBridge field`);
    out[key] = value;
  }
  return out as CdkEventPattern;
};
