import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leanPutObject } from '#adapters/s3/lean-put-object.js';
import { S3PublicStatusWriter } from '#adapters/s3/public-status.js';
import type { PutObject, PutObjectInput } from '#adapters/s3/put-object.js';
import { sdkPutObject } from '#adapters/s3/sdk-put-object.js';
import { encodeKey, s3Addressing } from '#adapters/signed-json/s3-rest-protocol.js';
import {
  type FakeS3,
  fakeS3,
  type S3Request,
  s3Accepts,
  s3Error,
  signatureProblem,
} from '#test/support/fake-s3.js';
import { OVERFLOW_STATUS_DOCUMENT } from '#test/support/public-status-document.js';

/**
 * The deployed functions' PutObject (one signed PUT) against the SDK's S3 client: the same inputs sent
 * through both to one recording endpoint must arrive as the same requests (method, path, body, the
 * object's headers, the body's SHA-256), and the same S3 errors must come back as the same errors after
 * the same number of attempts.
 */

const REGION = 'eu-central-1';
const credentials = { accessKeyId: 'AKIDPARITY', secretAccessKey: 'parity-secret' };
const BUCKET = 'peakline-parity';

let fake: FakeS3;
let sdkClient: S3Client;
let sdk: PutObject;
let lean: ReturnType<typeof leanPutObject>;

beforeAll(async () => {
  fake = await fakeS3();
  sdkClient = new S3Client({ region: REGION, endpoint: fake.url, forcePathStyle: true, credentials });
  sdk = sdkPutObject(sdkClient);
  lean = leanPutObject({ region: REGION, credentials, env: { AWS_ENDPOINT_URL_S3: fake.url } });
});

afterAll(async () => {
  sdkClient.destroy();
  lean.destroy();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.answer(s3Accepts);
});

/** What S3 acts on in a PUT: the object, its headers, the body's hash the signature covers. */
const asStored = (request: S3Request) => ({
  method: request.method,
  path: request.path,
  body: Buffer.from(request.body, 'utf8').toString('base64'),
  contentLength: request.headers['content-length'],
  contentType: request.headers['content-type'],
  cacheControl: request.headers['cache-control'],
  contentDisposition: request.headers['content-disposition'],
  contentSha256: request.headers['x-amz-content-sha256'],
});

/** The request each client sent for `write`, SDK's first. */
const sentByBoth = async (write: (put: PutObject) => Promise<void>) => {
  await write(sdk);
  await write(lean);
  expect(fake.requests).toHaveLength(2);
  // Both signed as S3 checks a signature: the path as sent, the body's hash.
  expect(fake.requests.map((r) => signatureProblem(r, credentials.secretAccessKey))).toEqual([
    undefined,
    undefined,
  ]);
  return fake.requests.map(asStored);
};

const HTML_REPORT: PutObjectInput = {
  Bucket: BUCKET,
  Key: 'report-2026-10.html',
  Body: '<!doctype html><html lang="pl"><title>Raport: październik 2026</title><p>Zgłoszenia &amp; SMS-y</p></html>',
  ContentType: 'text/html; charset=utf-8',
  ContentDisposition: 'attachment; filename="report-2026-10.html"',
};

describe('PutObject on the signed request, against the SDK’s S3 client', () => {
  it('sends the public status document (Polish text) as the SDK does', async () => {
    // Act
    const [bySdk, byLean] = await sentByBoth((put) =>
      new S3PublicStatusWriter(put, { bucket: BUCKET, key: 'status.json', cacheSeconds: 60 }).write(
        OVERFLOW_STATUS_DOCUMENT,
      ),
    );

    // Assess
    expect(byLean).toEqual(bySdk);
    expect(byLean).toMatchObject({
      method: 'PUT',
      path: `/${BUCKET}/status.json`,
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'public, max-age=60',
      contentSha256: createHash('sha256')
        .update(JSON.stringify(OVERFLOW_STATUS_DOCUMENT), 'utf8')
        .digest('hex'),
    });
    expect(fake.requests[1]?.body).toContain('około');
  });

  it('sends an HTML report with its download name as the SDK does', async () => {
    // Act
    const [bySdk, byLean] = await sentByBoth((put) => put(HTML_REPORT));

    // Assess
    expect(byLean).toEqual(bySdk);
    expect(byLean?.contentDisposition).toBe('attachment; filename="report-2026-10.html"');
    expect(byLean?.contentLength).toBe(String(Buffer.byteLength(HTML_REPORT.Body)));
  });

  it('sends an object without a content type as binary, as the SDK does', async () => {
    // Act
    const [bySdk, byLean] = await sentByBoth((put) => put({ Bucket: BUCKET, Key: 'raw', Body: 'x' }));

    // Assess
    expect(byLean).toEqual(bySdk);
    expect(byLean?.contentType).toBe('application/octet-stream');
  });

  it.each([
    'reports/2026-10/report 2026-10.csv',
    "odd/a+b=c&d;e:f@g,h$i!j'k(l)m*n~o.csv",
    'zażółć/gęślą jaźń.csv',
  ])('addresses the key %s as the SDK does', async (key) => {
    // Act
    const [bySdk, byLean] = await sentByBoth((put) =>
      put({ Bucket: BUCKET, Key: key, Body: 'a,b\n1,2\n', ContentType: 'text/csv; charset=utf-8' }),
    );

    // Assess: the same path, which reads back as the key
    expect(byLean).toEqual(bySdk);
    expect(fake.requests.map((r) => r.key)).toEqual([key, key]);
  });

  it.each([
    {
      status: 403,
      code: 'AccessDenied',
      message: "Access Denied <by the bucket's policy & the role's>",
      attempts: 1,
    },
    { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.', attempts: 3 },
  ])(
    'fails with S3’s $code ($status) after $attempts attempt(s), as the SDK does',
    async ({ status, code, message, attempts }) => {
      // Prepare
      fake.answer(() => s3Error(status, code, message));
      const failure = async (put: PutObject) => {
        const before = fake.requests.length;
        const error = (await put(HTML_REPORT).then(
          () => undefined,
          (e: unknown) => e,
        )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
        return {
          name: error?.name,
          message: error?.message,
          status: error?.$metadata?.httpStatusCode,
          attempts: fake.requests.length - before,
        };
      };

      // Act
      const bySdk = await failure(sdk);
      const byLean = await failure(lean);

      // Assess
      expect(byLean).toEqual(bySdk);
      expect(byLean).toEqual({ name: code, message, status, attempts });
    },
  );
});

describe('where the signed PUT goes', () => {
  it('addresses a bucket on AWS by its own host, and with an endpoint configured by the path', () => {
    // Act
    const onAws = s3Addressing('peakline-reports', REGION, {});
    const dotted = s3Addressing('reports.example.com', REGION, {});
    const configured = s3Addressing('peakline-reports', REGION, {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });

    // Assess
    expect([onAws, dotted, configured].map((a) => [a.endpoint.href, a.pathStyle])).toEqual([
      ['https://peakline-reports.s3.eu-central-1.amazonaws.com/', false],
      ['https://s3.eu-central-1.amazonaws.com/', true],
      ['http://127.0.0.1:4566/', true],
    ]);
  });

  it('keeps the slashes of a key and encodes the rest of it', () => {
    // Act
    const path = encodeKey('reports/2026 10/a+b (1)!.csv');

    // Assess
    expect(path).toBe('reports/2026%2010/a%2Bb%20%281%29%21.csv');
  });
});
