/**
 * One call to an AWS service: the request laid out by the service's protocol (AWS JSON here, for
 * DynamoDB, SQS, Secrets Manager and EventBridge; others beside their adapters), signed with Signature V4
 * by aws4 and sent with node's own http(s), on a keep-alive agent.
 *
 * Why not the SDK: every function pays for the SDK at each cold start, and a caller waits on some. The DynamoDB
 * client and the document client bundle @smithy/core, the default credential chain (STS and SSO clients,
 * IMDS, ini files) and the retry and endpoint machinery: about 400 KiB, 60 to 70 ms of load on the
 * benchmark's machine, and 30 ms more for the first call. Lambda hands a function its credentials in the
 * environment and the endpoint is one URL, so one signed POST is all such a call needs: the router's cold
 * start went from 111 to 47 ms of CPU over a bare node with it (bench/levers.ts), this file and aws4 (1.13.2)
 * about 10 KiB of its bundle.
 *
 * What it keeps from the SDK, as the callers relied on it: the `AWS_ENDPOINT_URL_<SERVICE>` /
 * `AWS_ENDPOINT_URL` variables (the local stack and the tests point DynamoDB at DynamoDB Local with them),
 * a service error as an Error named by its code (`__type`) with the service's message, and a bounded
 * number of attempts, each with a deadline, retried at once when the failure may pass (no answer, a
 * dropped connection, a 5xx, throttling), never when the request itself was refused.
 */
import {
  Agent as HttpAgent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** An answer of the service that is not a success, or an attempt that got none in time. */
export class AwsServiceError extends Error {
  /** The service's error code (`ResourceNotFoundException`, `ThrottlingException`, …), also the name. */
  readonly code: string;
  /** The HTTP status; undefined when no answer came (a timeout). */
  readonly statusCode: number | undefined;
  /** Whether another attempt may get through. */
  readonly retryable: boolean;
  readonly requestId: string | undefined;

  constructor(
    code: string,
    message: string,
    details: { statusCode?: number; retryable: boolean; requestId?: string },
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.statusCode = details.statusCode;
    this.retryable = details.retryable;
    this.requestId = details.requestId;
  }

  /** As the SDK's exceptions carry it, for code that reads the status there. */
  get $metadata(): { readonly httpStatusCode?: number; readonly requestId?: string } {
    return {
      ...(this.statusCode === undefined ? {} : { httpStatusCode: this.statusCode }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
    };
  }

  /**
   * As the SDK's exceptions say it: the caller's fault (a 4xx: refused, nothing done), or not (a 5xx, no
   * answer, or a success answer that could not be read: the service may have acted).
   */
  get $fault(): 'client' | 'server' {
    return this.statusCode !== undefined && this.statusCode >= 400 && this.statusCode < 500
      ? 'client'
      : 'server';
  }
}

/** Codes AWS answers when a caller goes too fast: worth another attempt, as a 5xx is. */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  // S3's answer to a caller going too fast (a 503).
  'SlowDown',
]);

/** The credentials Lambda gives every function in its environment (the execution role's session). */
export const credentialsFromEnvironment = (env: NodeJS.ProcessEnv = process.env): AwsCredentials => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new AwsServiceError(
      'CredentialsMissing',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: no credentials to sign the request with',
      { retryable: false },
    );
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
};

export interface ServiceEndpoint {
  /** The SDK's service id (`DynamoDB`, `SQS`, `Secrets Manager`): names its endpoint variable. */
  readonly serviceId: string;
  /** The host's first label on AWS (`dynamodb`, `sqs`, `secretsmanager`). */
  readonly endpointPrefix: string;
}

/**
 * Where a service is, as the SDK finds it: `AWS_ENDPOINT_URL_<SERVICE_ID>` (upper case, spaces as `_`),
 * else `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true; else the regional
 * endpoint on AWS.
 */
export const serviceEndpoint = (
  service: ServiceEndpoint,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): URL => {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    const own = env[`AWS_ENDPOINT_URL_${service.serviceId.toUpperCase().replaceAll(' ', '_')}`];
    const configured = own || env.AWS_ENDPOINT_URL;
    if (configured) return new URL(configured);
  }
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service.endpointPrefix}.${region}.${domain}`);
};

export interface AwsSignedClientOptions {
  readonly service: ServiceEndpoint;
  /** The signing name (`dynamodb`, `sqs`, `secretsmanager`, `sns`, `connect`). */
  readonly signingName: string;
  /** @default AWS_REGION (then AWS_DEFAULT_REGION) */
  readonly region?: string;
  /** @default as the SDK finds it (serviceEndpoint) */
  readonly endpoint?: string;
  /** @default the environment's, read at each call (credentialsFromEnvironment) */
  readonly credentials?: AwsCredentials;
  /** Attempts of one call, the first included. @default 2 */
  readonly maxAttempts?: number;
  /** An attempt whose connection is not up after this long is abandoned. @default 1000 */
  readonly connectionTimeoutMs?: number;
  /** An attempt without its whole answer after this long (connection included) is abandoned. @default 3000 */
  readonly attemptTimeoutMs?: number;
  /**
   * How long to wait before attempt `attempt + 1` after `error`. @default none: at once (a caller on the
   * line has a deadline of its own, and each attempt's deadline has already waited)
   */
  readonly retryDelayMs?: (attempt: number, error: unknown) => number;
  /**
   * Around each attempt, inside the retries: what the local stack and the tests use to break the world at
   * the wire (throttle, or lose an answer after the service acted). @default the attempt itself
   */
  readonly wire?: (
    operation: string,
    input: object,
    attempt: () => Promise<Record<string, unknown>>,
  ) => Promise<Record<string, unknown>>;
  /** For the tests. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * What a service's client lets its callers set (deadlines, attempts, backoff, the endpoint, credentials,
 * the wire hook): everything but which service it is and how it signs, which the service's module fixes.
 */
export type ServiceClientOptions = Partial<Omit<AwsSignedClientOptions, 'service' | 'signingName'>>;

export interface AwsJsonClientOptions extends AwsSignedClientOptions {
  /** The `X-Amz-Target` prefix (`DynamoDB_20120810`, `AmazonSQS`, `secretsmanager`). */
  readonly targetPrefix: string;
  /** `application/x-amz-json-<version>`: 1.0 for DynamoDB and SQS, 1.1 for Secrets Manager. */
  readonly jsonVersion: '1.0' | '1.1';
}

/** One request of an operation, as its protocol lays it out (the path is under the endpoint's). */
export interface ProtocolRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The HTTP answer to one attempt. */
export interface ProtocolResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly requestId: string | undefined;
}

/**
 * How a service's protocol lays an operation's input out as a request, and reads its answer: the
 * output's members, or an AwsServiceError (throwing marks whether another attempt may get through).
 */
export interface AwsProtocol {
  request(operation: string, input: object): ProtocolRequest;
  answer(operation: string, response: ProtocolResponse): Record<string, unknown>;
}

/**
 * The SDK's standard retry delay: full jitter over an exponential backoff, from 100 ms (500 ms when the
 * service said to slow down), at most 20 s.
 */
export const standardRetryDelayMs = (
  attempt: number,
  error: unknown,
  random: () => number = Math.random,
): number => {
  const throttled = error instanceof AwsServiceError && THROTTLING.has(error.code);
  return Math.floor(random() * Math.min(20_000, (throttled ? 500 : 100) * 2 ** (attempt - 1)));
};

const parseJson = (text: string): Record<string, unknown> | undefined => {
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const requestIdOf = (response: IncomingMessage): string | undefined => {
  const id = response.headers['x-amzn-requestid'];
  return typeof id === 'string' ? id : undefined;
};

/** Whether an error code or status may pass on another attempt: a 5xx, a 429, throttling. */
export const isRetryableAnswer = (status: number, code: string): boolean =>
  status >= 500 || status === 429 || THROTTLING.has(code);

/**
 * An error answer with a JSON body (AWS JSON, REST JSON): named by the first code among `codes` (in the
 * protocol's order: `__type`, the `x-amzn-errortype` header, the body's `code`; each may be
 * `namespace#Code` or `Code:url`), with the service's message, and the exception's own members (DynamoDB's
 * `Item` of a failed condition, `CancellationReasons` of a transaction) as the SDK puts them on its
 * exceptions: AWS names them in PascalCase.
 */
export const jsonServiceError = (
  status: number,
  codes: readonly unknown[],
  body: Record<string, unknown>,
  requestId: string | undefined,
): AwsServiceError => {
  const raw = codes.find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
  );
  const code = raw?.split(':')[0]?.split('#').pop() || 'UnknownError';
  const message = body.message ?? body.Message;
  const error = new AwsServiceError(code, typeof message === 'string' ? message : `HTTP ${status}`, {
    statusCode: status,
    retryable: isRetryableAnswer(status, code),
    ...(requestId ? { requestId } : {}),
  });
  for (const [name, value] of Object.entries(body)) {
    if (/^[A-Z]/.test(name) && name !== 'Message') Object.assign(error, { [name]: value });
  }
  return error;
};

/** What a JSON-protocol attempt came back with: the answer's JSON, or an error with whether to try again. */
export const jsonAnswer = ({
  statusCode: status,
  headers,
  text,
  requestId,
}: ProtocolResponse): Record<string, unknown> => {
  const body = parseJson(text);
  if (status >= 200 && status < 300) {
    if (body !== undefined) return body;
    throw new AwsServiceError('SerializationError', `the answer is not JSON: ${text.slice(0, 100)}`, {
      statusCode: status,
      retryable: false,
      ...(requestId ? { requestId } : {}),
    });
  }
  throw jsonServiceError(status, [body?.__type, headers['x-amzn-errortype']], body ?? {}, requestId);
};

/** A failure another attempt may get past: no answer, a dropped or refused connection, a 5xx, throttling. */
const isRetryable = (error: unknown): boolean =>
  error instanceof AwsServiceError ? error.retryable : error instanceof Error;

/**
 * A client of one AWS service, in the protocol it is given: `call(operation, input)` answers the
 * operation's output, or throws an AwsServiceError (or the connection's own error) after its last attempt.
 */
export class AwsSignedClient {
  readonly endpoint: URL;
  readonly region: string;
  readonly #options: AwsSignedClientOptions;
  readonly #protocol: AwsProtocol;
  readonly #agent: HttpAgent;
  readonly #send: typeof httpRequest;

  constructor(options: AwsSignedClientOptions, protocol: AwsProtocol) {
    const env = options.env ?? process.env;
    const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    // Not an error here: a function builds its client at init, and fails a call (which its callers
    // handle) rather than its cold start; `call` says what is missing.
    this.region = region ?? '';
    this.endpoint = options.endpoint
      ? new URL(options.endpoint)
      : serviceEndpoint(options.service, this.region || 'us-east-1', env);
    this.#options = options;
    const https = this.endpoint.protocol === 'https:';
    // Keep-alive: after the first call a warm container reuses the connection (and its TLS session).
    this.#agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.#send = https ? httpsRequest : httpRequest;
    this.#protocol = protocol;
  }

  async call<T = Record<string, unknown>>(operation: string, input: object): Promise<T> {
    if (this.region === '') {
      throw new AwsServiceError('RegionMissing', 'AWS_REGION is not set: no region to sign the request for', {
        retryable: false,
      });
    }
    const maxAttempts = Math.max(1, this.#options.maxAttempts ?? 2);
    const request = this.#protocol.request(operation, input);
    const wire = this.#options.wire;
    const once = () => this.#attempt(operation, request);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await (wire ? wire(operation, input, once) : once())) as T;
      } catch (error) {
        if (attempt >= maxAttempts || !isRetryable(error)) throw error;
        const delay = this.#options.retryDelayMs?.(attempt, error) ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Closes the kept connections (tests, and a process that ends). */
  destroy(): void {
    this.#agent.destroy();
  }

  #attempt(
    operation: string,
    { method, path, headers, body }: ProtocolRequest,
  ): Promise<Record<string, unknown>> {
    const credentials =
      this.#options.credentials ?? credentialsFromEnvironment(this.#options.env ?? process.env);
    const signed = aws4.sign(
      {
        service: this.#options.signingName,
        region: this.region,
        method,
        protocol: this.endpoint.protocol,
        hostname: this.endpoint.hostname,
        ...(this.endpoint.port ? { port: this.endpoint.port } : {}),
        path: `${this.endpoint.pathname.replace(/\/$/, '')}${path}` || '/',
        headers: { ...headers },
        ...(body === undefined ? {} : { body }),
      },
      credentials,
    );
    const connectionTimeoutMs = this.#options.connectionTimeoutMs ?? 1_000;
    const attemptTimeoutMs = this.#options.attemptTimeoutMs ?? 3_000;
    return new Promise((resolve, reject) => {
      const request = this.#send({ ...signed, agent: this.#agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(deadline);
          try {
            resolve(
              this.#protocol.answer(operation, {
                statusCode: response.statusCode ?? 0,
                headers: response.headers,
                text: Buffer.concat(chunks).toString('utf8'),
                requestId: requestIdOf(response),
              }),
            );
          } catch (error) {
            reject(error);
          }
        });
      });
      const timeout = (what: string, ms: number) =>
        new AwsServiceError('TimeoutError', `${operation}: ${what} within ${ms} ms`, { retryable: true });
      const deadline = setTimeout(
        () => request.destroy(timeout('no answer', attemptTimeoutMs)),
        attemptTimeoutMs,
      );
      function fail(error: Error) {
        clearTimeout(deadline);
        reject(error);
      }
      request.on('error', fail);
      request.on('socket', (socket) => {
        // A kept connection is already up; a new one gets its own, shorter limit.
        if (!socket.connecting) return;
        const connecting = setTimeout(
          () => request.destroy(timeout('no connection', connectionTimeoutMs)),
          connectionTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(connecting));
        socket.once('close', () => clearTimeout(connecting));
      });
      request.end(body);
    });
  }
}

/** AWS JSON 1.0 / 1.1: every operation a POST to `/` named by `X-Amz-Target`, the input and output as JSON. */
export const awsJsonProtocol = (targetPrefix: string, jsonVersion: '1.0' | '1.1'): AwsProtocol => ({
  request: (operation, input) => ({
    method: 'POST',
    path: '/',
    headers: {
      'Content-Type': `application/x-amz-json-${jsonVersion}`,
      'X-Amz-Target': `${targetPrefix}.${operation}`,
    },
    body: JSON.stringify(input),
  }),
  answer: (_operation, response) => jsonAnswer(response),
});

/** A client of one service that speaks AWS JSON (DynamoDB, SQS, Secrets Manager, EventBridge). */
export class AwsJsonClient extends AwsSignedClient {
  constructor(options: AwsJsonClientOptions) {
    super(options, awsJsonProtocol(options.targetPrefix, options.jsonVersion));
  }
}
