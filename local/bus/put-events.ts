/**
 * EventBridge's PutEvents, as the local stack's endpoint answers it: the same request shape (AWS JSON
 * 1.1, what the AWS SDK and the AWS CLI send), the same per-entry results (`EventId`, or `ErrorCode` and
 * `ErrorMessage`) and the same request-level errors, so a shop backend tested locally sees what it will
 * see on AWS. Pure: the caller supplies the clock and the ids, and gets back the events to route.
 */
import { randomUUID } from 'node:crypto';

/** An event as EventBridge hands it to rules and targets. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

/** A request EventBridge refuses as a whole (HTTP 400 with `__type` and `message`). */
export class PutEventsRequestError extends Error {
  constructor(
    readonly type: 'ValidationException' | 'SerializationException',
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface LocalBusIdentity {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** The bus policy: which sources may put events. */
  readonly admitsSource: (source: string) => boolean;
}

export interface PutEventsContext {
  readonly bus: LocalBusIdentity;
  readonly now: Date;
  readonly newId?: () => string;
}

/** PutEvents' documented limits. */
export const MAX_ENTRIES = 10;
export const MAX_ENTRY_BYTES = 256 * 1024;

const fail = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage });

const busArn = (bus: LocalBusIdentity) => `arn:aws:events:${bus.region}:${bus.account}:event-bus/${bus.name}`;

/** EventBridge's own time format: seconds, no fraction. */
const eventTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Time` arrives as epoch seconds from the SDK and the CLI (JSON 1.1 timestamps); ISO text is taken too. */
const entryTime = (value: unknown, now: Date): Date | undefined => {
  if (value === undefined || value === null) return now;
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
};

const checkEntry = (
  entry: unknown,
  context: PutEventsContext,
): { result: PutEventsResultEntry; event?: EventBridgeEvent } => {
  const { bus } = context;
  if (!isRecord(entry)) return { result: fail('InvalidArgument', 'Each entry must be an object.') };
  const busName = entry.EventBusName ?? 'default';
  if (typeof busName !== 'string' || (busName !== bus.name && busName !== busArn(bus))) {
    return {
      result: fail(
        'ResourceNotFoundException',
        `Event bus ${String(busName)} does not exist. The local stack has one bus: ${bus.name}.`,
      ),
    };
  }
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[field];
    if (typeof value !== 'string' || value.length === 0) {
      return {
        result: fail(
          'InvalidArgument',
          `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        ),
      };
    }
  }
  const source = entry.Source as string;
  const detailType = entry.DetailType as string;
  if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
    return {
      result: fail('InvalidArgument', 'The entry is larger than 256 KB, the most PutEvents accepts.'),
    };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return { result: fail('MalformedDetail', 'Detail is malformed.') };
  }
  if (!isRecord(detail)) return { result: fail('MalformedDetail', 'Detail is malformed.') };
  if (!bus.admitsSource(source)) {
    return {
      result: fail(
        'NotAuthorizedForSourceException',
        `Not authorized for the source ${source}: the bus ${bus.name} admits only the shop's configured source.`,
      ),
    };
  }
  const time = entryTime(entry.Time, context.now);
  if (!time) return { result: fail('InvalidArgument', 'Parameter Time is not valid.') };
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
    return { result: fail('InvalidArgument', 'Parameter Resources is not valid: expected a list of ARNs.') };
  }
  const id = (context.newId ?? randomUUID)();
  return {
    result: { EventId: id },
    event: {
      version: '0',
      id,
      'detail-type': detailType,
      source,
      account: bus.account,
      time: eventTime(time),
      region: bus.region,
      resources: resources as string[],
      detail,
    },
  };
};

/** Answers one PutEvents request; throws PutEventsRequestError where EventBridge refuses the whole call. */
export const putEvents = (
  request: unknown,
  context: PutEventsContext,
): { response: PutEventsResponse; events: EventBridgeEvent[] } => {
  if (!isRecord(request)) {
    throw new PutEventsRequestError('SerializationException', 'The request body must be a JSON object.');
  }
  const entries = request.Entries;
  if (entries === undefined || entries === null) {
    throw new PutEventsRequestError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(entries)) {
    throw new PutEventsRequestError('SerializationException', 'Entries must be a list.');
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    throw new PutEventsRequestError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${
        entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`
      }`,
    );
  }
  const results = entries.map((entry) => checkEntry(entry, context));
  return {
    response: {
      FailedEntryCount: results.filter((r) => 'ErrorCode' in r.result).length,
      Entries: results.map((r) => r.result),
    },
    events: results.flatMap((r) => (r.event ? [r.event] : [])),
  };
};
