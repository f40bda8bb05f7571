/**
 * S3's REST-XML protocol for AwsSignedClient (aws-json-client.ts), as far as peakline's functions use it:
 * PutObject, an object written whole from a text. `PUT /<key>` on the bucket's own host (virtual-hosted
 * style), or `PUT /<bucket>/<key>` on the endpoint (path style: a configured endpoint, a bucket name that
 * is no DNS label); the object's headers from the input; the answer a 200 with an empty body, an error
 * S3's XML (`<Error><Code>AccessDenied</Code><Message>…</Message><RequestId>…</RequestId></Error>`).
 *
 * Signed for `s3` by aws4, which sets `X-Amz-Content-Sha256` to the body's SHA-256 (S3 refuses a
 * request without that header, and checks the body against it: the integrity check the SDK adds a CRC32
 * for). Why not the SDK's client: @aws-sdk/client-s3 is about 100 KiB of a bundle and 40 ms of load at
 * a cold start, for one PUT.
 */
import {
  type AwsProtocol,
  AwsServiceError,
  isRetryableAnswer,
  type ProtocolRequest,
  type ProtocolResponse,
  serviceEndpoint,
} from './aws-json-client.js';
import { childText, parseXml, type XmlElement } from './xml-reader.js';

/** The SDK's names for the service: its endpoint variable is `AWS_ENDPOINT_URL_S3`, its host `s3.<region>`. */
export const S3_SERVICE = { serviceId: 'S3', endpointPrefix: 's3' } as const;

/** PutObject's input, as the SDK names its members (layers/adapters/s3/put-object.ts). */
interface PutObjectMembers {
  readonly Bucket: string;
  readonly Key: string;
  readonly Body: string;
  readonly ContentType?: string | undefined;
  readonly CacheControl?: string | undefined;
  readonly ContentDisposition?: string | undefined;
}

/** As S3 expects a path segment: every byte but `A-Za-z0-9-._~` percent-encoded (`!'()*` too). */
const encodeSegment = (segment: string): string =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A key in a path: each segment encoded, its slashes kept (`reports/2026 10.csv` -> `reports/2026%2010.csv`). */
export const encodeKey = (key: string): string => key.split('/').map(encodeSegment).join('/');

/**
 * Whether a bucket can be the first label of its host (the SDK's test, sub-domains not allowed): 3 to 63
 * lower-case letters, digits and hyphens, a letter or digit at each end. A name with dots would not match
 * S3's TLS certificate as a host, so it goes in the path, as the SDK does.
 */
export const isVirtualHostable = (bucket: string): boolean =>
  /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);

export interface S3Addressing {
  /** Where the request goes: the bucket's host, or the endpoint with the bucket in the path. */
  readonly endpoint: URL;
  readonly pathStyle: boolean;
}

/**
 * Where a bucket's objects are: on AWS the bucket's own host (`https://<bucket>.s3.<region>.amazonaws.com`);
 * with an endpoint configured as the SDK reads it (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`: a fake on
 * loopback, a local S3), that endpoint with the bucket in the path, as the SDK does for an IP address.
 */
export const s3Addressing = (bucket: string, region: string, env: NodeJS.ProcessEnv): S3Addressing => {
  const regional = serviceEndpoint(S3_SERVICE, region, {});
  const endpoint = serviceEndpoint(S3_SERVICE, region, env);
  if (endpoint.href !== regional.href || !isVirtualHostable(bucket)) return { endpoint, pathStyle: true };
  return { endpoint: new URL(`${regional.protocol}//${bucket}.${regional.host}`), pathStyle: false };
};

const putObjectRequest = (input: PutObjectMembers, pathStyle: boolean): ProtocolRequest => {
  // The SDK's words: a request without its bucket or key is never sent.
  for (const label of ['Bucket', 'Key'] as const) {
    if (typeof input[label] !== 'string' || input[label] === '') {
      throw new Error(`Empty value provided for input HTTP label: ${label}.`);
    }
  }
  const headers: Record<string, string> = {
    // Without one, aws4 would say the body is a form; S3 stores an object without a type as binary.
    'Content-Type': input.ContentType ?? 'application/octet-stream',
  };
  if (input.CacheControl !== undefined) headers['Cache-Control'] = input.CacheControl;
  if (input.ContentDisposition !== undefined) headers['Content-Disposition'] = input.ContentDisposition;
  const key = encodeKey(input.Key);
  return {
    method: 'PUT',
    path: pathStyle ? `/${encodeSegment(input.Bucket)}/${key}` : `/${key}`,
    headers,
    body: input.Body,
  };
};

const parsed = (text: string): XmlElement | undefined => {
  try {
    return parseXml(text);
  } catch {
    return undefined;
  }
};

/** What an S3 attempt came back with: the answer's ETag, or an error named by S3's code, with whether to try again. */
export const s3Answer = ({
  statusCode: status,
  headers,
  text,
  requestId,
}: ProtocolResponse): Record<string, unknown> => {
  const s3RequestId = headers['x-amz-request-id'];
  if (status >= 200 && status < 300) {
    return typeof headers.etag === 'string' ? { ETag: headers.etag } : {};
  }
  const document = text.trim() === '' ? undefined : parsed(text);
  const error = document?.name === 'Error' ? document : undefined;
  const code = (error && childText(error, 'Code')) || 'UnknownError';
  const id =
    (error && childText(error, 'RequestId')) ||
    (typeof s3RequestId === 'string' ? s3RequestId : undefined) ||
    requestId;
  throw new AwsServiceError(
    code,
    (error && childText(error, 'Message')) ||
      `HTTP ${status}${error || text.trim() === '' ? '' : `: ${text.slice(0, 100)}`}`,
    { statusCode: status, retryable: isRetryableAnswer(status, code), ...(id ? { requestId: id } : {}) },
  );
};

/**
 * The S3 operations this client knows how to send (PutObject), with the bucket in the path or in the
 * host (the client's endpoint then is the bucket's: s3Addressing).
 */
export const s3RestProtocol = ({ pathStyle }: { readonly pathStyle: boolean }): AwsProtocol => ({
  request: (operation, input) => {
    if (operation !== 'PutObject')
      throw new Error(`${operation} is not an S3 operation this client knows how to send`);
    return putObjectRequest(input as PutObjectMembers, pathStyle);
  },
  answer: (_operation, response) => s3Answer(response),
});
