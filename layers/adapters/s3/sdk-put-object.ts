/**
 * PutObject through the SDK's S3 client: for code that has one already (tests mocking it with
 * aws-sdk-client-mock, a CLI). The deployed functions use lean-put-object.ts instead (no SDK to load).
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PutObject } from './put-object.js';

export const sdkPutObject =
  (client: S3Client): PutObject =>
  async (input) => {
    await client.send(new PutObjectCommand(input));
  };
