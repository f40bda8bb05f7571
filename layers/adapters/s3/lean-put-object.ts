/**
 * PutObject on the signed request (signed-json/s3-rest-protocol.ts), for the deployed functions: one
 * signed PUT, no SDK. @aws-sdk/client-s3, for this one call, was the last SDK client of both functions
 * that used it, @smithy/core and the SDK's retry and endpoint machinery with it: overflow-controller's
 * bundle 414 -> 109 KiB and its module load ~60 -> ~22 ms, monthly-report's 1188 -> 880 KiB and ~103 ->
 * ~66 ms (bench:cold, interleaved A/B on a machine at load ~4.5); one cold start 709 -> 542 and 2330 ->
 * 2077 M instructions (valgrind, the same tree with this module shimmed back to the SDK's client, 3 runs).
 *
 * What it keeps of the SDK's S3 client: the endpoint from `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` (then
 * path style), the bucket's own host on AWS, three attempts with the standard jittered backoff (a PUT of
 * the same body is idempotent: a retried write whose answer was lost writes the same object again), retried
 * only when the failure may pass (no answer, a dropped connection, a 5xx, throttling), and S3's error
 * named by its code (`AccessDenied`, `NoSuchBucket`, `SlowDown`) with its status in `$metadata`.
 */
import {
  AwsSignedClient,
  type ServiceClientOptions,
  standardRetryDelayMs,
} from '#adapters/signed-json/aws-json-client.js';
import { S3_SERVICE, s3Addressing, s3RestProtocol } from '#adapters/signed-json/s3-rest-protocol.js';
import type { PutObject } from './put-object.js';

/** The signed client's settings, but where S3 is: each bucket's endpoint is found for it (s3Addressing). */
export type S3PutObjectOptions = Omit<ServiceClientOptions, 'endpoint'>;

/** A PutObject with connections of its own (one kept connection per bucket's host). */
export interface LeanPutObject extends PutObject {
  /** Closes the kept connections (tests, and a process that ends). */
  destroy(): void;
}

export const leanPutObject = (options: S3PutObjectOptions = {}): LeanPutObject => {
  /** On AWS each bucket is a host of its own, so a client (its endpoint, its kept connection) per bucket. */
  const clients = new Map<string, AwsSignedClient>();
  const clientFor = (bucket: string): AwsSignedClient => {
    let client = clients.get(bucket);
    if (client === undefined) {
      const env = options.env ?? process.env;
      const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '';
      const { endpoint, pathStyle } = s3Addressing(bucket, region || 'us-east-1', env);
      client = new AwsSignedClient(
        {
          service: S3_SERVICE,
          signingName: 's3',
          endpoint: endpoint.href,
          // The SDK's defaults: three attempts, the standard jittered backoff between them.
          maxAttempts: 3,
          retryDelayMs: standardRetryDelayMs,
          ...options,
        },
        s3RestProtocol({ pathStyle }),
      );
      clients.set(bucket, client);
    }
    return client;
  };
  const put = async (input: Parameters<PutObject>[0]): Promise<void> => {
    await clientFor(input.Bucket).call('PutObject', input);
  };
  return Object.assign(put, {
    destroy: () => {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  });
};
