/**
 * The SNS Publish of a deployed function, built once per execution environment and shared by every
 * invocation (its kept connection with it). The endpoint can be overridden as the SDK's can, through
 * `AWS_ENDPOINT_URL_SNS` / `AWS_ENDPOINT_URL` (the tests and the bench point it at a fake).
 * A module of its own, so that a function that publishes loads no SDK client.
 */
import { publishOver, snsQueryClient } from './lean-publish.js';
import type { SnsPublish } from './publish.js';

let publish: SnsPublish | undefined;

export const getSnsPublish = (): SnsPublish => {
  publish ??= publishOver(snsQueryClient());
  return publish;
};
