import type { PutObjectCommandInput } from '@aws-sdk/client-s3';

/**
 * The one S3 operation peakline's functions use: an object written whole from a text (the public status
 * JSON, the monthly report's HTML and CSV). The members are the SDK's PutObject names, so the SDK's
 * client (sdk-put-object.ts: the CLIs, the tests with aws-sdk-client-mock) and the signed request
 * (lean-put-object.ts: the deployed functions) take the same input.
 */
export type PutObjectInput = Pick<
  PutObjectCommandInput,
  'ContentType' | 'CacheControl' | 'ContentDisposition'
> & {
  readonly Bucket: string;
  readonly Key: string;
  /** Sent as UTF-8. */
  readonly Body: string;
};

/** Writes one object (replacing any of the same key), or fails with S3's error. */
export type PutObject = (input: PutObjectInput) => Promise<void>;
