/**
 * The registry of peakline's event contracts, version 1 (DESIGN.md, "Event contracts").
 *
 * The zod schemas under `schemas/` are the source of truth: the parser below, the JSON Schema files in
 * `json-schema/` (`npm run generate`) and the samples in `samples/` (checked by the unit tests) all derive
 * from or are checked against them, so a contract cannot drift between the Lambdas, the docs and the shop.
 *
 * They are written in zod/mini (schemas/zod.ts), not classic zod, for cold starts: seven functions load them,
 * and classic zod put 103 KiB and 10-14 ms of CPU into each one's load (bench/module-cost.ts). Mini is the
 * same zod 4 core, so the same events pass, with the same messages and paths, types and JSON Schema (checked
 * by a differential run over ~93,000 mutated events, a type-equality check and `npm run generate`); only a
 * ZodError is now core's `$ZodError`, same issues and message, which nothing here tells apart. A/B of the
 * tree before and after (2026-12-07): zod 103 -> 43 KiB of each bundle; one cold start, load and first
 * invoke, in callgrind instructions (two runs each, averaged): customer-opt-out 368 -> 318 M, order-index
 * 592 -> 539 M, fact-recorder 406 -> 338 M, about 11-15 ms of CPU. Wall times on the shared machine were
 * too noisy to add.
 */
import { readableErrorMap } from '#core/zod-messages.js';
import { cartAbandonedSchema } from './schemas/cart-abandoned.js';
import { unlessMissing } from './schemas/common.js';
import { customerOptedOutSchema } from './schemas/customer-opted-out.js';
import { orderPlacedSchema } from './schemas/order-placed.js';
import { orderStatusChangedSchema } from './schemas/order-status-changed.js';
import { paymentIssueReportedSchema } from './schemas/payment-issue-reported.js';
import { timestampSchema } from './schemas/time.js';
import * as z from './schemas/zod.js';
import { isShopDetailType, type ShopDetailType, unknownDetailTypeReason } from './detail-types.js';

export {
  isShopDetailType,
  PEAKLINE_DETAIL_TYPES,
  PEAKLINE_SOURCE,
  type PeaklineDetailType,
  SHOP_DETAIL_TYPES,
  type ShopDetailType,
  unknownDetailTypeReason,
} from './detail-types.js';

export type { CartAbandoned, CartItem } from './schemas/cart-abandoned.js';
export type { Consent, Customer } from './schemas/customer.js';
export { type CustomerOptedOut, OPT_OUT_CHANNELS, type OptOutChannel } from './schemas/customer-opted-out.js';
export type { Money } from './schemas/money.js';
export type { OrderPlaced } from './schemas/order-placed.js';
export { ORDER_STATUSES, type OrderStatus, type OrderStatusChanged } from './schemas/order-status-changed.js';
export {
  PAYMENT_ISSUES,
  type PaymentIssue,
  type PaymentIssueReported,
} from './schemas/payment-issue-reported.js';
export { readableErrorMap };

export const shopDetailSchemas = {
  OrderPlaced: orderPlacedSchema,
  OrderStatusChanged: orderStatusChangedSchema,
  CartAbandoned: cartAbandonedSchema,
  PaymentIssueReported: paymentIssueReportedSchema,
  CustomerOptedOut: customerOptedOutSchema,
} as const satisfies Record<ShopDetailType, z.ZodMiniType>;

export type ShopDetails = { [K in ShopDetailType]: z.output<(typeof shopDetailSchemas)[K]> };

const envelopeObjectSchema = z.object(
  {
    version: z.string().check(z.describe('Envelope version, "0" so far.')),
    id: z.string().check(z.minLength(1), z.describe('Unique id EventBridge gives every event.')),
    'detail-type': z.string().check(z.minLength(1), z.describe('What happened, e.g. OrderPlaced.')),
    source: z.string().check(z.minLength(1), z.describe('Who sent it: the shop (e.g. "shop") or peakline.')),
    account: z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit AWS account id')),
    time: timestampSchema.check(z.describe('When the event was put on the bus.')),
    region: z.string().check(z.minLength(1)),
    resources: z.array(z.string()),
    detail: z.record(z.string(), z.unknown(), {
      error: unlessMissing('expected the event detail as a JSON object'),
    }),
    // Present only on events replayed from the bus's archive; handlers must stay idempotent for them.
    'replay-name': z.optional(z.string()),
  },
  {
    error:
      'expected an EventBridge event: an object with version, id, detail-type, source, account, time, region, resources and detail',
  },
);

/** An event as EventBridge delivers it to a target (SQS body, Lambda input). */
export const eventBridgeEnvelopeSchema = envelopeObjectSchema.check(
  z.describe('The EventBridge envelope around a detail.'),
);

export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelopeSchema>;

/** A shop event whose detail has been validated, narrowed by its `detail-type`. */
export type ShopEvent<T extends ShopDetailType = ShopDetailType> = {
  [K in T]: Omit<EventBridgeEnvelope, 'detail-type' | 'detail'> & {
    'detail-type': K;
    detail: ShopDetails[K];
  };
}[T];

export type ParseShopEventResult = { ok: true; event: ShopEvent } | { ok: false; reason: string };

const PARSE_OPTIONS = { reportInput: true, error: readableErrorMap } as const;
const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
const MAX_SHOWN_CHARS = 80;

const formatPath = (prefix: string, path: readonly PropertyKey[]): string => {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(event)';
};

/**
 * A rejected phone number is still somebody's number: the reason shows its shape (a missing +, spaces,
 * a 00 prefix) with all but the first two and last two digits masked, since reasons end up in queues,
 * dashboards and tickets.
 */
const maskDigits = (value: string): string => {
  const total = (value.match(/\d/g) ?? []).length;
  let seen = 0;
  return value.replace(/\d/g, (digit) => {
    seen += 1;
    return seen <= 2 || seen > total - 2 ? digit : '*';
  });
};

const escapeInvisible = (char: string): string => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;

const formatGot = (issue: z.core.$ZodIssue): string => {
  if (!('input' in issue) || issue.input === undefined) return '';
  const { input } = issue;
  if (typeof input === 'string') {
    const masked = issue.path.at(-1) === 'phone' ? maskDigits(input) : input;
    const shown = masked.length > MAX_SHOWN_CHARS ? `${masked.slice(0, MAX_SHOWN_CHARS - 1)}…` : masked;
    // Invisible characters (bidi overrides, zero-width, controls JSON leaves as they are) are shown as
    // escapes: a reason must read the same to everyone, whatever the value tried to hide.
    return ` (got ${JSON.stringify(shown).replace(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu, escapeInvisible)})`;
  }
  if (input === null || typeof input === 'number' || typeof input === 'boolean')
    return ` (got ${String(input)})`;
  // A whole object or array in a one-line reason would bury the message; its type is all that helps.
  if (issue.code === 'invalid_type')
    return Array.isArray(input) ? ' (got an array)' : ` (got ${typeof input})`;
  return '';
};

/**
 * One line per problem: `<JSON path>: <what was expected> (got <value>)`, the path starting at `pathPrefix`
 * (e.g. `detail`). Values are shown as received, except phone numbers, which are masked.
 */
export const formatIssues = (issues: readonly z.core.$ZodIssue[], pathPrefix = ''): string[] =>
  issues.map((issue) => `${formatPath(pathPrefix, issue.path)}: ${issue.message}${formatGot(issue)}`);

// Omitted from the undescribed object: zod refuses to omit from a schema with checks, and mini's describe is one.
const envelopeHeaderSchema = z.omit(envelopeObjectSchema, { detail: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates an event delivered by EventBridge against the v1 contract of its detail-type. Never throws:
 * a malformed event is a fact to report (the caller sends it to the DLQ with `reason`), not a crash.
 */
export const parseShopEvent = (event: unknown): ParseShopEventResult => {
  try {
    const header = envelopeHeaderSchema.safeParse(event, PARSE_OPTIONS);
    const problems = header.success ? [] : formatIssues(header.error.issues);
    const detailType = isRecord(event) ? event['detail-type'] : undefined;
    if (typeof detailType === 'string' && detailType !== '' && !isShopDetailType(detailType)) {
      problems.push(unknownDetailTypeReason(detailType));
    }
    if (!isShopDetailType(detailType) || !isRecord(event)) return { ok: false, reason: problems.join('\n') };

    const detail = shopDetailSchemas[detailType].safeParse(event.detail, PARSE_OPTIONS);
    if (!detail.success) problems.push(...formatIssues(detail.error.issues, 'detail'));
    if (!header.success || !detail.success) return { ok: false, reason: problems.join('\n') };
    // TypeScript cannot correlate the detail's type with the detail-type it was looked up by.
    const parsed = { ...header.data, 'detail-type': detailType, detail: detail.data } as ShopEvent;
    return { ok: true, event: parsed };
  } catch (error) {
    // Zod does not throw on safeParse, but a hostile input (a throwing getter, a Proxy) could.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `(event): could not be validated: ${message}` };
  }
};
