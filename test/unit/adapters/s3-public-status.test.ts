import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3PublicStatusWriter } from '#adapters/s3/public-status.js';
import { sdkPutObject } from '#adapters/s3/sdk-put-object.js';
import { OVERFLOW_STATUS_DOCUMENT } from '#test/support/public-status-document.js';

const s3 = mockClient(S3Client);

const writer = () =>
  new S3PublicStatusWriter(sdkPutObject(new S3Client({ region: 'eu-central-1' })), {
    bucket: 'peakline-test-public-status',
    key: 'status.json',
    cacheSeconds: 60,
  });

describe('S3 public status writer', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({ ETag: '"e-1"' });
  });

  it('puts the document as JSON in UTF-8 with the cache time, under its key', async () => {
    // Act
    await writer().write(OVERFLOW_STATUS_DOCUMENT);

    // Assess
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'peakline-test-public-status',
        Key: 'status.json',
        Body: JSON.stringify(OVERFLOW_STATUS_DOCUMENT),
        ContentType: 'application/json; charset=utf-8',
        CacheControl: 'public, max-age=60',
      },
    ]);
    expect(JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body))).toMatchObject({
      channels: { phone: { text: { pl: 'Telefon: czas oczekiwania około 15 minut.' } } },
    });
  });

  it('passes an S3 failure on, for the publisher to count', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    // Act
    const writing = writer().write(OVERFLOW_STATUS_DOCUMENT);

    // Assess
    await expect(writing).rejects.toThrow('Access Denied');
  });
});
