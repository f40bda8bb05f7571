/**
 * The PutObject of a deployed function, built once per execution environment and shared by every
 * invocation (its kept connections with it), with the SDK's defaults (three attempts, jittered backoff).
 * The endpoint can be overridden as the SDK's can, through `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`
 * (the tests and the bench point it at a fake). A module of its own, so that a function writing an
 * object loads no SDK client.
 */
import { leanPutObject } from './lean-put-object.js';
import type { PutObject } from './put-object.js';

let putObject: PutObject | undefined;

export const getPutObject = (): PutObject => {
  putObject ??= leanPutObject();
  return putObject;
};
