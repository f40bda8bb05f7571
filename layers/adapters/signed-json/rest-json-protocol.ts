/**
 * AWS's REST-JSON protocol (awsRestJson1: Amazon Connect, Lambda, API Gateway…) for AwsSignedClient: each
 * operation its own HTTP method and URI, some input members in the path (`/users/{InstanceId}/{UserId}`)
 * or the query string, the rest a JSON body; the answer a JSON body, an error named by the
 * `x-amzn-errortype` header (else the body's `code` or `__type`). Timestamps travel as epoch seconds, both
 * ways, and are Dates on this side, as the SDK has them.
 *
 * The SDK reads each operation's layout from its model at run time (about 400 KiB of schemas for Connect
 * alone); here a client gives the layouts of the few operations it uses (RestJsonOperation), taken from
 * the same model.
 */
import { randomUUID } from 'node:crypto';
import {
  type AwsProtocol,
  AwsServiceError,
  jsonServiceError,
  type ProtocolRequest,
  type ProtocolResponse,
} from './aws-json-client.js';

/**
 * A member's place in a structure: member names, `[]` for every element of a list
 * (`['MetricResults', '[]', 'MetricInterval', 'StartTime']`).
 */
export type MemberPath = readonly string[];

/** Where one operation's input goes, and what of its output is a timestamp (from the service's model). */
export interface RestJsonOperation {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD';
  /** The URI, with `{Member}` path labels, and possibly a fixed query (`/x/{Id}?mode=y`). */
  readonly uri: string;
  /** Input members sent in the query string, by their query name. @default none */
  readonly query?: Readonly<Record<string, string>>;
  /** Whether the input has members that go in a JSON body (false: all in the path and query). */
  readonly body: boolean;
  /** Input members of timestamp type: Dates sent as epoch seconds. @default none */
  readonly inputTimestamps?: readonly MemberPath[];
  /** An input member the SDK fills with a random UUID when the caller leaves it out. @default none */
  readonly idempotencyToken?: string;
  /** Output members of timestamp type: epoch seconds read as Dates. @default none */
  readonly outputTimestamps?: readonly MemberPath[];
}

type Plain = Record<string, unknown>;

/** `value` with `convert` applied at `path`, copied along the way (the caller's input is not touched). */
const mapAt = (value: unknown, path: MemberPath, convert: (leaf: unknown) => unknown): unknown => {
  if (path.length === 0) return value === undefined || value === null ? value : convert(value);
  if (value === undefined || value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '[]') {
    return Array.isArray(value) ? value.map((item) => mapAt(item, rest, convert)) : value;
  }
  const record = value as Plain;
  if (!(head in record)) return value;
  return { ...record, [head]: mapAt(record[head], rest, convert) };
};

/** As the SDK sends a timestamp member in JSON: seconds since the epoch, with the milliseconds as a fraction. */
const toEpochSeconds = (value: unknown): unknown => (value instanceof Date ? value.getTime() / 1000 : value);

/** As the SDK reads an epoch-seconds timestamp: a Date at the nearest millisecond. */
const fromEpochSeconds = (value: unknown): unknown => {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : value;
};

/** As the SDK encodes a path label: encodeURIComponent, and `!'()*` too (RFC 3986's reserved characters). */
const encodeLabel = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const parseBody = (text: string): Plain | undefined => {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Plain)
      : undefined;
  } catch {
    return undefined;
  }
};

/** The request of one operation: labels in the path, query members in the query, the rest as JSON. */
const requestOf = (operation: RestJsonOperation, input: object): ProtocolRequest => {
  let members: Plain = { ...(input as Plain) };
  const token = operation.idempotencyToken;
  if (token !== undefined && members[token] === undefined) members[token] = randomUUID();
  for (const path of operation.inputTimestamps ?? []) members = mapAt(members, path, toEpochSeconds) as Plain;

  /** Members placed in the path or the query: not in the body. */
  const bound = new Set<string>();
  const [template = '', fixedQuery] = operation.uri.split('?');
  const path = template.replace(/\{(\w+)\}/g, (_, label: string) => {
    bound.add(label);
    const value = members[label];
    // The SDK's words: a request without one of its path labels is never sent.
    if (value === undefined || value === null)
      throw new Error(`No value provided for input HTTP label: ${label}.`);
    const text = String(value);
    if (text === '') throw new Error(`Empty value provided for input HTTP label: ${label}.`);
    return encodeLabel(text);
  });
  const query: string[] = fixedQuery ? [fixedQuery] : [];
  for (const [member, queryName] of Object.entries(operation.query ?? {})) {
    bound.add(member);
    const value = members[member];
    for (const item of Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) {
      query.push(`${encodeLabel(queryName)}=${encodeLabel(String(item))}`);
    }
  }
  const body = Object.fromEntries(Object.entries(members).filter(([name]) => !bound.has(name)));
  return {
    method: operation.method,
    path: query.length === 0 ? path : `${path}?${query.join('&')}`,
    headers: operation.body ? { 'Content-Type': 'application/json' } : {},
    ...(operation.body ? { body: JSON.stringify(body) } : {}),
  };
};

/** An answer as REST-JSON has it: the output, with its timestamps as Dates, or an AwsServiceError. */
const answerOf = (
  operation: RestJsonOperation,
  { statusCode, headers, text, requestId }: ProtocolResponse,
): Plain => {
  const body = parseBody(text);
  if (statusCode >= 200 && statusCode < 300) {
    if (body === undefined) {
      // Without its status: a success the service sent (it may have acted) is not a refusal (`$fault`
      // 'client'), which callers such as the callback sweep take to mean that nothing was done.
      throw new AwsServiceError(
        'SerializationError',
        `HTTP ${statusCode}, but the answer is not JSON: ${text.slice(0, 100)}`,
        { retryable: false, ...(requestId ? { requestId } : {}) },
      );
    }
    let output: Plain = body;
    for (const path of operation.outputTimestamps ?? [])
      output = mapAt(output, path, fromEpochSeconds) as Plain;
    return output;
  }
  // The header's code first (REST JSON's order), then the body's.
  const members = body ?? {};
  throw jsonServiceError(
    statusCode,
    [headers['x-amzn-errortype'], members.code, members.__type],
    members,
    requestId,
  );
};

/** REST-JSON over the operations given: `operations[name]` lays out each. */
export const restJsonProtocol = (operations: Readonly<Record<string, RestJsonOperation>>): AwsProtocol => {
  const layoutOf = (name: string): RestJsonOperation => {
    const operation = operations[name];
    if (operation === undefined) throw new Error(`${name} is not an operation this client knows how to send`);
    return operation;
  };
  return {
    request: (name, input) => requestOf(layoutOf(name), input),
    answer: (name, response) => answerOf(layoutOf(name), response),
  };
};
