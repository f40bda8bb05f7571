/**
 * S3 on loopback, path style (`PUT /<bucket>/<key>`, as both the SDK's client with `forcePathStyle` and the
 * functions' signed PUT with `AWS_ENDPOINT_URL_S3` address it): each request recorded with its bucket, key,
 * headers and body, answered with an ETag, S3's XML error, or through a PutObject the test gives
 * (`answeredBy`: e.g. the SDK's client mocked with aws-sdk-client-mock, so a handler test running the
 * functions' own client still asserts the SDK's PutObject inputs).
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PutObject, PutObjectInput } from '#adapters/s3/put-object.js';
import { type FakeHttp, fakeHttp, type HttpAnswer, type RawRequest } from './fake-http.js';

/** One request as S3 received it. */
export interface S3Request {
  readonly method: string;
  /** The path as sent (percent-encoded), without the query. */
  readonly path: string;
  /** The query as sent, without its `?` ('' when none). */
  readonly query: string;
  readonly bucket: string;
  /** The key, decoded. */
  readonly key: string;
  readonly headers: IncomingHttpHeaders;
  /** The body, read as UTF-8. */
  readonly body: string;
}

export type FakeS3 = FakeHttp<S3Request>;

const readS3 = ({ method, url, headers, text }: RawRequest): S3Request => {
  const queryAt = url.indexOf('?');
  const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
  const [, bucket = '', ...key] = path.split('/');
  return {
    method,
    path,
    query: queryAt >= 0 ? url.slice(queryAt + 1) : '',
    bucket: decodeURIComponent(bucket),
    key: key.map(decodeURIComponent).join('/'),
    headers,
    body: text,
  };
};

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An error as S3 answers it: the status, and `<Error>` with its code, message and request id in XML. */
export const s3Error = (status: number, code: string, message: string): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'fake-s3-request' },
  text:
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    '<RequestId>fake-s3-request</RequestId><HostId>fake-host</HostId></Error>',
});

/** A PUT taken: S3's 200 with the object's ETag and no body. */
export const s3Accepts = (): HttpAnswer => ({ status: 200, headers: { etag: '"fake-etag"' } });

/** Statuses S3 gives the errors a test may reject with, when the error does not carry its own. */
const STATUS_OF: Readonly<Record<string, number>> = { AccessDenied: 403, NoSuchBucket: 404, SlowDown: 503 };

/** The PutObject input a request carries (the members the functions send). */
export const putObjectInputOf = (request: S3Request): PutObjectInput => {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const optional = (member: keyof PutObjectInput, name: string) => {
    const value = header(name);
    return value === undefined ? {} : { [member]: value };
  };
  return {
    Bucket: request.bucket,
    Key: request.key,
    Body: request.body,
    ...optional('ContentType', 'content-type'),
    ...optional('CacheControl', 'cache-control'),
    ...optional('ContentDisposition', 'content-disposition'),
  };
};

/**
 * Answers each PUT by what `put` does with its input: a 200, or its rejection as S3's error (the status
 * the error carries, else S3's for that code, else 500).
 */
export const answeredBy =
  (put: PutObject) =>
  async (request: S3Request): Promise<HttpAnswer> => {
    if (request.method !== 'PUT') return s3Error(405, 'MethodNotAllowed', `${request.method} is not a PUT`);
    try {
      await put(putObjectInputOf(request));
      return s3Accepts();
    } catch (error) {
      const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
      return s3Error($metadata?.httpStatusCode ?? STATUS_OF[name] ?? 500, name, message);
    }
  };

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();
const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * What S3 would find wrong with the request's Signature V4 (undefined: nothing), checked as S3 checks it
 * and written from AWS's description of the signature (Signature Version 4 for S3, "Authenticating
 * requests: Using the Authorization header"), not with the signing library the client uses: the canonical
 * URI is the path as sent (S3 encodes it once, not twice), the payload hash is the
 * `x-amz-content-sha256` header, which must be the body's SHA-256.
 */
export const signatureProblem = (request: S3Request, secretAccessKey: string): string | undefined => {
  const authorization = String(request.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return `no Signature V4 Authorization header: ${authorization}`;
  const [, day = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== sha256(request.body)) return `x-amz-content-sha256 ${payloadHash} is not the body's`;
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-content-sha256'))
    return `signed headers ${signedHeaders}`;
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalQuery = request.query
    .split('&')
    .filter((pair) => pair !== '')
    .map(
      (pair) => pair.split('=').map((part) => encodeRfc3986(decodeURIComponent(part))) as [string, string?],
    )
    .map(([name, value = '']) => `${name}=${value}`)
    .sort()
    .join('&');
  const canonicalRequest = [
    request.method,
    request.path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign).toString('hex');
  return expected === signature
    ? undefined
    : `the signature does not match; canonical request:\n${canonicalRequest}`;
};

/** Starts the endpoint, taking every PUT until told otherwise (`answer`). */
export const fakeS3 = (): Promise<FakeS3> => fakeHttp(readS3, s3Accepts);
