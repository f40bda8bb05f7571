/**
 * The one place where every peakline setting is defined, defaulted, validated and described.
 *
 * Ops edit `infra/config/stages/<stage>.json`; `cdk synth` validates it against this schema and fails
 * with the key's path when a value is wrong. The README's configuration reference and the JSON Schema
 * that gives editors completion (`infra/config/config.schema.json`) are generated from the descriptions
 * here by `npm run generate`, and a test fails when either is stale.
 */
import * as z from 'zod';
import { FLOW_LANGUAGES } from '#infra/constructs/connect/flows/prompts.js';

const ACCOUNT_ID = /^\d{12}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const SHARE = 'expected a share of the callers above 0 (some of them) and at most 1 (all of them), e.g. 0.5';

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** How a Connect instance authenticates its users (CreateInstance's IdentityManagementType). */
export const IDENTITY_MANAGEMENT = ['CONNECT_MANAGED', 'SAML', 'EXISTING_DIRECTORY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const isIanaZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const minutesOf = (hhmm: string): number => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

const openingHours = z
  .object({
    open: z.string().regex(HH_MM, 'expected a time as HH:MM, e.g. "08:00"'),
    close: z.string().regex(HH_MM, 'expected a time as HH:MM, e.g. "20:00"'),
  })
  .refine((h) => minutesOf(h.open) < minutesOf(h.close), {
    message: 'close must be later than open on the same day',
    path: ['close'],
  });

const defaultHours = {
  mon: { open: '08:00', close: '20:00' },
  tue: { open: '08:00', close: '20:00' },
  wed: { open: '08:00', close: '20:00' },
  thu: { open: '08:00', close: '20:00' },
  fri: { open: '08:00', close: '20:00' },
  sat: { open: '09:00', close: '17:00' },
};

export const configSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editor completion; ignored.'),
    account: z
      .string()
      .regex(ACCOUNT_ID, 'expected a 12-digit AWS account id')
      .optional()
      .describe(
        'AWS account the stage deploys to. Omitted: the account of the credentials `cdk deploy` runs with (the synthesized templates stay account-agnostic).',
      ),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as "eu-central-1"')
      .default('eu-central-1')
      .describe('AWS region the stage deploys to. It must offer Amazon Connect.'),
    shop: z
      .object({
        accountId: z
          .string()
          .regex(ACCOUNT_ID, 'expected a 12-digit AWS account id')
          .optional()
          .describe(
            "AWS account of the shop backend, the only other account the bus admits. Omitted: the stage's own account.",
          ),
        source: z
          .string()
          .min(1)
          .max(256)
          .regex(/^[^\s]+$/, 'expected an event source without spaces')
          .refine((s) => !s.startsWith('aws.'), 'sources beginning with "aws." are reserved by AWS')
          .default('shop')
          .describe('The `source` the shop backend puts its events with; the bus refuses any other.'),
      })
      .prefault({})
      .describe('Who may send events to peakline.'),
    bus: z
      .object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,256}$/, 'expected letters, digits, ".", "_" or "-"')
          .refine((s) => s !== 'default', 'peakline needs its own bus, not "default"')
          .default('peakline')
          .describe('Name of the custom event bus.'),
        archiveRetentionDays: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .default(7)
          .describe(
            "How long every shop event (with the customer's phone number, in clear) is archived for replay after a fix, in days. Personal data: keep it as short as a replay may be needed; there is no keep-forever.",
          ),
        deadLetterRetentionDays: z
          .number()
          .int()
          .min(1)
          .max(14)
          .default(7)
          .describe(
            "How long the rejected-events queue and every dead-letter queue keep a message (a refused or undeliverable event, with the customer's phone number), in days; SQS allows 1 to 14. Long enough for the DLQ alarm to be read after a long weekend, then gone.",
          ),
      })
      .prefault({})
      .describe('The event bus.'),
    connect: z
      .object({
        instanceArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/,
            'expected an Amazon Connect instance ARN, arn:aws:connect:<region>:<account>:instance/<uuid>',
          )
          .optional()
          .describe('Existing Amazon Connect instance to use. Omitted: peakline creates one.'),
        instanceAlias: z
          .string()
          .regex(
            /^(?!d-)[a-z0-9](?:[a-z0-9-]{0,60}[a-z0-9])?$/,
            'expected 1-62 lowercase letters, digits and "-", not starting with "d-"',
          )
          .default('peakline')
          .describe(
            'Alias of the instance peakline creates (the first part of its access URL); unused with `instanceArn`. Unique across AWS.',
          ),
        timeZone: z
          .string()
          .refine(isIanaZone, 'expected an IANA time zone such as "Europe/Warsaw"')
          .default('Europe/Warsaw')
          .describe('Time zone of the contact centre’s opening hours.'),
        hours: z
          .partialRecord(z.enum(WEEKDAYS), openingHours)
          .refine((h) => Object.keys(h).length > 0, 'at least one day must be open')
          .default(defaultHours)
          .describe(
            'Opening hours per weekday (`mon`..`sun`), each `{ "open": "HH:MM", "close": "HH:MM" }`; a missing day is closed.',
          ),
        language: z
          .enum(FLOW_LANGUAGES)
          .default('pl-PL')
          .describe(
            'Language the contact flows speak to callers (text-to-speech prompts; Polly neural voices).',
          ),
        identityManagement: z
          .enum(IDENTITY_MANAGEMENT)
          .default('CONNECT_MANAGED')
          .describe(
            'How the Connect instance authenticates its users, as set when it was created: CONNECT_MANAGED (users and passwords kept by Connect), SAML, or EXISTING_DIRECTORY. It decides whether a new seat is given a password. Anything but CONNECT_MANAGED needs `instanceArn`.',
          ),
        apiCallsPerSecond: z
          .number()
          .positive()
          .max(50)
          .default(2)
          .describe(
            "Amazon Connect's API rate for the user and task APIs (the account's quota; 2/s by default), shared by peakline's Connect callers: each invocation of payment-issues (2 at once), the callback sweeper, the seat sweeper, the TTL backstop and the seats CLI paces at a sixth of it.",
          ),
      })
      // Checked here, not at deploy: CreateInstance would make a Connect-managed instance whatever is said.
      .refine((c) => c.identityManagement === 'CONNECT_MANAGED' || c.instanceArn !== undefined, {
        message:
          'SAML and EXISTING_DIRECTORY are only for an existing instance (set instanceArn); the instance peakline creates is CONNECT_MANAGED',
        path: ['identityManagement'],
      })
      .prefault({})
      .describe('Amazon Connect.'),
    logs: z
      .object({
        level: z
          .enum(['DEBUG', 'INFO', 'WARN', 'ERROR'])
          .default('INFO')
          .describe('Log level of every function.'),
        retentionDays: z
          .number()
          .refine(
            (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
            `expected one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
          )
          .default(30)
          .describe('How long function logs are kept, in days.'),
      })
      .prefault({})
      .describe('Function logs.'),
    data: z
      .object({
        retainOnDelete: z
          .boolean()
          .default(true)
          .describe(
            'Keep the tables (and turn on deletion protection) when the stack is deleted. Set false only for throwaway stages.',
          ),
        suppressionRetentionDays: z
          .number()
          .int()
          .min(30)
          .max(3650)
          .default(1095)
          .describe(
            'How long an opt-out is kept after the customer last opted out, in days. Opting out again restarts it.',
          ),
        factsRetentionDays: z
          .number()
          .int()
          .min(30)
          .max(3650)
          .default(400)
          .describe(
            'How long the facts table keeps what the KPI reports count (SMS by kind and outcome, callbacks, orders after a callback; no phone numbers), in days: 400 covers a year-on-year report.',
          ),
        legacySuppressionReadsUntil: z.iso
          .date('expected a date as YYYY-MM-DD')
          .optional()
          .describe(
            'Only for a stage upgraded from a version whose suppression list was keyed by a plain hash: until this date (UTC), a phone not found under its keyed hash is also looked up under the plain one (one more read per SMS). Set it to the upgrade date plus `suppressionRetentionDays`. Omitted (new stages): never.',
          ),
      })
      .prefault({})
      .describe('The DynamoDB tables.'),
    sms: z
      .object({
        senderId: z
          .string()
          .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, 'expected 1-11 letters and digits, at least one letter')
          .default('PEAKSHOP')
          .describe(
            'Alphanumeric sender ID the SMS come from, where the destination country allows one (Poland and Finland do; some countries need it registered).',
          ),
        shopName: z
          .string()
          .min(1)
          .max(30)
          .default('Peak Shop')
          .describe('How the SMS name the shop, e.g. "Sklep Peak".'),
        maxPartsPerSecond: z
          .number()
          .positive()
          .max(1000)
          .default(20)
          .describe(
            "SMS parts per second peakline may send: your account's SNS SMS rate (20 unless AWS raised it).",
          ),
        segmentCap: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(3)
          .describe('Most parts one SMS may take; templates shorten themselves to fit.'),
        dailySegmentCap: z
          .number()
          .int()
          .positive()
          .default(100_000)
          .describe(
            'Parts per day (UTC) after which peakline stops sending and raises SmsDailyCapReached; a brake on spend.',
          ),
        quietHours: z
          .object({
            start: z
              .string()
              .regex(HH_MM, 'expected a time as HH:MM, e.g. "21:00"')
              .default('21:00')
              .describe("When the quiet hours begin, in the customer's local time."),
            end: z
              .string()
              .regex(HH_MM, 'expected a time as HH:MM, e.g. "08:00"')
              .default('08:00')
              .describe('When they end: deferred SMS go then. Equal to start: no quiet hours.'),
          })
          .prefault({})
          .describe(
            "Local time in the customer's zone when no SMS goes out; one that falls inside waits for the end. Equal start and end: none.",
          ),
        replyWithinHours: z
          .object({
            OVERFLOW: z
              .number()
              .int()
              .positive()
              .max(168)
              .default(4)
              .describe(
                'Hours the order confirmation promises a reply within while the primary queue overflows.',
              ),
            DEFLECT: z
              .number()
              .int()
              .positive()
              .max(168)
              .default(24)
              .describe('The same while callers are offered to leave a request instead of waiting.'),
          })
          .prefault({})
          .describe(
            'Hours the order confirmation promises a reply within, while the primary queue is in OVERFLOW or DEFLECT.',
          ),
        overloaded: z
          .enum(['auto', 'OVERFLOW', 'DEFLECT'])
          .default('auto')
          .describe(
            'Overload state the order confirmation assumes: "auto" follows the routing state of the primary queue; OVERFLOW or DEFLECT forces it (e.g. for a peak announced in advance).',
          ),
        retentionDays: z
          .number()
          .int()
          .min(1)
          .max(365)
          .default(30)
          .describe(
            'How long the ledger keeps what was sent per order and status (masked phone, status, time).',
          ),
        maxAttempts: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(5)
          .describe(
            'Deliveries of one event before it goes to the rejected-events queue with the last error.',
          ),
        maxDelayUpdates: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(2)
          .describe(
            'SMS about a new delivery estimate (a DELAYED with an estimatedDelivery not told before) per order, at most; 0: none.',
          ),
      })
      .prefault({})
      .describe('Order SMS.'),
    seats: z
      .object({
        sweepEveryMinutes: z
          .number()
          .int()
          .min(1)
          .max(5)
          .default(1)
          .describe(
            "How often, in minutes, the sweeper looks for seats whose contract has ended; an agent's access is revoked within this many minutes of the end, plus the run.",
          ),
        revokedRetentionDays: z
          .number()
          .int()
          .min(30)
          .max(3650)
          .default(400)
          .describe(
            'How long a revoked seat is kept for the audit and the seat-days report, in days; the default, a year and a month, still answers "what did last season cost" when the next one is planned.',
          ),
      })
      // A misspelt key would otherwise leave its default in force without a word.
      .strict()
      .prefault({})
      .describe('Seasonal seats: Connect users that lose their access when the contract ends.'),
    overflow: z
      .object({
        queues: z
          .array(z.enum(['primary', 'callback']))
          .min(1)
          .default(['primary', 'callback'])
          .describe(
            'Queues the overflow controller watches. `primary` overflows its callers to the second line; `callback` only has its state kept, which postpones cart callbacks while it is high.',
          ),
        samplesPerMinute: z
          .number()
          .int()
          .min(1)
          .max(12)
          .default(4)
          .describe(
            'Samples of the queues a minute (one GetCurrentMetricData call each, whatever the traffic).',
          ),
        enterWaitSeconds: z
          .number()
          .int()
          .positive()
          .default(60)
          .describe(
            "T_enter, seconds: when the expected wait of a new caller on the primary queue's calls stays above this for `enterSamples` samples in a row, the queue goes to OVERFLOW. The expected wait is reckoned from the calls waiting, the agents on calls, `handlingSeconds` and `patienceSeconds` (Ibrahim and Whitt's queue-length estimate), not from the oldest caller's age, which falls as soon as callers are sent elsewhere. The callback queue, which nobody joins by choice, is still judged on its oldest contact's age.",
          ),
        enterSamples: z
          .number()
          .int()
          .min(1)
          .max(60)
          .default(3)
          .describe(
            'N: samples in a row above `enterWaitSeconds` (or `deflectWaitSeconds`) before the state rises.',
          ),
        exitWaitSeconds: z
          .number()
          .int()
          .nonnegative()
          .default(30)
          .describe(
            "T_exit, seconds: when the expected wait of a new caller (the callback queue: its oldest contact's age) stays below this for `exitSamples` samples in a row, the queue goes back to NORMAL (from DEFLECT, back to OVERFLOW once below `enterWaitSeconds`). The gap to `enterWaitSeconds` is what keeps a wait hovering near one threshold from switching the state on and off.",
          ),
        exitSamples: z
          .number()
          .int()
          .min(1)
          .max(60)
          .default(4)
          .describe('M: samples in a row below the exit threshold before the state falls.'),
        deflectWaitSeconds: z
          .number()
          .int()
          .positive()
          .default(120)
          .describe(
            "T_deflect, seconds: when the expected wait of a new caller (the callback queue: its oldest contact's age) stays above this for `enterSamples` samples in a row, the queue goes to DEFLECT. Callers are offered a callback or an SMS with a link to leave a request on the website instead of waiting from OVERFLOW on, in a share that grows with the wait: none at `enterWaitSeconds`, all at or above this wait, in proportion between, so that the menu settles on the share that holds the wait rather than switching on and off as the queue drains and refills.",
          ),
        handlingSeconds: z
          .number()
          .int()
          .min(10)
          .max(3600)
          .default(300)
          .describe(
            "Mean handling time of a call, seconds (talk, hold and after-call work: your plan's AHT), on the primary queue and the second line. The expected waits grow with it: set it from the last weeks' calls, and raise it for a peak whose calls run longer. Too low, and overflow starts late, after callers have waited; too high, and it starts while the agents would have coped.",
          ),
        patienceSeconds: z
          .number()
          .int()
          .min(10)
          .max(3600)
          .default(180)
          .describe(
            "Mean time a caller waits before hanging up, seconds (the patience `peakline plan` and `peakline simulate` take for Erlang A). Callers ahead who hang up shorten a new caller's wait, so a long queue of impatient callers moves faster than its length says; a shop whose callers wait long (a business line) sets it higher.",
          ),
        secondLineMarginSeconds: z
          .number()
          .int()
          .min(0)
          .max(600)
          .default(60)
          .describe(
            "A caller goes to the second line only when their expected wait there is shorter than on the primary queue by at least this, seconds. It absorbs the estimates' error, so nobody is moved for a few seconds the next sample takes back: raise it when the second line is slower on first-line calls (its callers wait less but talk longer), lower it when it is as good as the first.",
          ),
        secondLineMaxShare: z
          .number()
          .gt(0, SHARE)
          .max(1, SHARE)
          .default(0.5)
          .describe(
            "The most of the primary queue's new callers sent to the second line while it overflows (above 0, at most 1). Within it, the share sent is the second line's advantage in expected wait as a part of the primary wait, and never more than the second line's part of the agents on calls (the controller reads both at every sample), so the second line is fed while it is the shorter wait and not past it. Lower it to keep the second line for its own callers at peak; 1 leaves the share to the waits and the agents alone.",
          ),
        minDwellSeconds: z
          .number()
          .int()
          .min(0)
          .max(3600)
          .default(120)
          .describe(
            'The least time a routing state lasts before it may change, seconds; a change that falls due meanwhile happens on the first sample after it. It bounds the changes an hour (at most 3600 / minDwellSeconds + 1) whatever the waits do. It holds NORMAL after a return too, so a longer dwell also delays the answer to a second surge: at most 10 × `patienceSeconds`. 0: the sample runs alone keep the state from flapping.',
          ),
        secondLineAssistDelaySeconds: z
          .number()
          .int()
          .min(0)
          .max(600)
          .default(20)
          .describe(
            "Seconds a primary-queue call waits before an idle second-line agent is offered it (Connect's own delay in the second line's routing profile, at priority 2 after its own queue; the local stack's simulator does the same). It keeps the second line helping between overflows without taking calls the first line is about to answer: set it near the primary queue's target answer time.",
          ),
        requestUrl: z
          .url({ protocol: /^https$/ })
          .optional()
          .describe(
            'Page where a deflected caller leaves a request; sent by SMS (option 3 of the deflection menu). Omitted: the menu offers only waiting and a callback.',
          ),
        bonusCode: z
          .string()
          .regex(/^[A-Z0-9-]{3,20}$/, 'expected 3-20 capital letters, digits or "-"')
          .optional()
          .describe('Bonus code sent with the request link, thanking the caller for not waiting.'),
        routerCacheSeconds: z
          .number()
          .int()
          .min(0)
          .max(60)
          .default(5)
          .describe(
            'How long the router keeps a queue state it has read; the controller changes it at most a few times a minute.',
          ),
        stateMaxAgeSeconds: z
          .number()
          .int()
          .min(10)
          .max(600)
          .optional()
          .describe(
            'How long a routing state holds without a new sample, in seconds; older, every reader (router, order SMS, callback sweeper) takes it as NORMAL and counts it (`RoutingStateStale`), so a stopped controller cannot keep callers on the second line. Default: three sample periods (45 s at 4 samples a minute).',
          ),
      })
      .strict()
      .refine((o) => o.exitWaitSeconds < o.enterWaitSeconds, {
        message: 'exitWaitSeconds must be below enterWaitSeconds, or the state would flap',
        path: ['exitWaitSeconds'],
      })
      .refine((o) => o.deflectWaitSeconds > o.enterWaitSeconds, {
        message: 'deflectWaitSeconds must be above enterWaitSeconds',
        path: ['deflectWaitSeconds'],
      })
      // The dwell holds NORMAL after a return as well: a surge that comes back within it is neither overflowed
      // nor deflected until the dwell ends, while its callers hang up after patienceSeconds on average. Ten
      // patiences (half an hour at the default 180 s) is far past any use against flapping, which a few
      // minutes cover; beyond it the dwell only loses callers.
      .refine((o) => o.minDwellSeconds <= 10 * o.patienceSeconds, {
        message:
          'minDwellSeconds must be at most 10 × patienceSeconds: the dwell also holds NORMAL after a return, so a longer one leaves a second surge without overflow or deflection while its callers hang up',
        path: ['minDwellSeconds'],
      })
      .refine((o) => o.stateMaxAgeSeconds === undefined || o.stateMaxAgeSeconds > 60 / o.samplesPerMinute, {
        message: 'stateMaxAgeSeconds must be longer than one sample period (60 / samplesPerMinute seconds)',
        path: ['stateMaxAgeSeconds'],
      })
      .prefault({})
      .describe('Overflow routing and deflection (the controller, the router and the inbound flow).'),
    callbacks: z
      .object({
        delayMinutes: z
          .number()
          .int()
          .min(0)
          .max(1440)
          .default(30)
          .describe(
            'Minutes after a CartAbandoned before its callback is due; then moved into the opening hours (`connect.hours`).',
          ),
        minCartValue: z
          .number()
          .min(0)
          .default(100)
          .describe("Least cart total worth a callback, in the cart's own currency."),
        perCustomerHours: z
          .number()
          .int()
          .min(1)
          .max(720)
          .default(24)
          .describe(
            'At most one callback per customer in this many hours, counted from the call (or the SMS that replaced it).',
          ),
        peakBehaviour: z
          .enum(['postpone', 'sms'])
          .default('postpone')
          .describe(
            'While the callback queue is in OVERFLOW or DEFLECT: "postpone" the callback by `postponeMinutes`, or "sms": send the customer the link to the saved cart instead (with marketing SMS consent, outside quiet hours, within the SMS caps; otherwise it is postponed).',
          ),
        postponeMinutes: z
          .number()
          .int()
          .min(1)
          .max(1440)
          .default(15)
          .describe('How far one postponement moves a callback; then into the opening hours.'),
        maxAgeHours: z
          .number()
          .int()
          .min(1)
          .max(336)
          .default(48)
          .describe(
            'A callback not made within this many hours of the abandonment is dropped (CallbackCancelled, reason "expired"): the offer is stale by then.',
          ),
        sweepBatch: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(60)
          .describe(
            "Most due callbacks one run of the minute sweeper handles; fewer when the run's time at the Connect API rate (`connect.apiCallsPerSecond`) allows fewer. The rest wait for the next run.",
          ),
        maxTaskAttempts: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(5)
          .describe(
            'StartTaskContact failures (throttling aside, which never counts) before a callback is given up (reason "task-failed").',
          ),
        retentionDays: z
          .number()
          .int()
          .min(1)
          .max(365)
          .default(30)
          .describe(
            "How long a callback is kept after it ended, for the record; the customer's phone number is removed when it ends.",
          ),
        catalogue: z
          .record(
            z.string().min(1).max(256),
            z
              .object({
                sku: z.string().min(1).max(256).describe('SKU of the alternative.'),
                name: z.string().min(1).max(200).describe('Name of the alternative, as the agent says it.'),
              })
              .strict(),
          )
          .default({})
          .describe(
            'Alternatives the agent offers for products out of stock: `{ "<sku>": { "sku": "<alternative sku>", "name": "<its name>" } }`.',
          ),
      })
      .strict()
      .refine((c) => c.delayMinutes < c.maxAgeHours * 60, {
        message: 'delayMinutes must be shorter than maxAgeHours, or no callback would ever be made',
        path: ['delayMinutes'],
      })
      .prefault({})
      .describe(
        'Cart callbacks: CartAbandoned -> a task with the offer in the callback queue, after a delay.',
      ),
    alarms: z
      .object({
        email: z
          .email('expected an e-mail address')
          .optional()
          .describe('Address subscribed to the ops topic, where every alarm goes. Omitted: no subscription.'),
        smsMonthlySpendLimitUSD: z
          .number()
          .positive()
          .default(100)
          .describe(
            "The account's monthly SMS spend limit in SNS (its text-messaging preferences), in US$: alarms at 80% and 95% of it, before SNS stops sending.",
          ),
        smsDeliveryFailureRate: z
          .number()
          .gt(0)
          .max(1)
          .default(0.05)
          .describe('Share of SMS the carriers failed to deliver, over an hour, that raises an alarm.'),
        smsDeliveryMinimum: z
          .number()
          .int()
          .min(1)
          .default(50)
          .describe(
            'SMS an hour below which the delivery failure rate is not judged: three failures out of ten are noise.',
          ),
        overflowHeldMinutes: z
          .number()
          .int()
          .min(5)
          .max(1440)
          .default(120)
          .describe(
            'Minutes a queue may stay in OVERFLOW (or above) before ops are told: the peak outlasts the staffing.',
          ),
        deflectHeldMinutes: z
          .number()
          .int()
          .min(5)
          .max(1440)
          .default(60)
          .describe('Minutes a queue may stay in DEFLECT before ops are told.'),
        controllerSilentMinutes: z
          .number()
          .int()
          .min(2)
          .max(60)
          .default(5)
          .describe(
            'Minutes without a sample from the overflow controller before ops are told: routers then answer NORMAL (stale state).',
          ),
        callbackBacklogMinutes: z
          .number()
          .int()
          .min(5)
          .max(1440)
          .default(60)
          .describe('Minutes a due cart callback may wait without its task before ops are told.'),
        bufferAgeMinutes: z
          .number()
          .int()
          .min(1)
          .max(1440)
          .default(15)
          .describe('Age of the oldest message in an event buffer, in minutes, that raises an alarm.'),
        seatDigestAt: z
          .string()
          .regex(HH_MM, 'expected a time as HH:MM, e.g. "16:00"')
          .default('16:00')
          .describe(
            'When the daily digest of seats ending tomorrow goes to the ops topic, in `connect.timeZone`.',
          ),
      })
      .prefault({})
      .describe('Alarms and the ops topic.'),
    reports: z
      .object({
        locale: z
          .enum(['pl', 'en'])
          .default('pl')
          .describe('Language of the monthly KPI report (`peakline report --lang` overrides it).'),
        serviceLevelSeconds: z
          .number()
          .int()
          .min(1)
          .max(600)
          .default(20)
          .describe(
            'Service level threshold: a contact answered within this many seconds counts as in time.',
          ),
        serviceLevelTarget: z
          .number()
          .gt(0)
          .max(1)
          .default(0.8)
          .describe(
            'The agreed service level (share answered within `serviceLevelSeconds`), drawn as the target.',
          ),
        smsPricePerPartUSD: z
          .number()
          .min(0)
          .default(0.04)
          .describe(
            'What one SMS part costs you, in US$ (the SNS price for your main destination country), for the SMS cost in reports.',
          ),
        retentionDays: z
          .number()
          .int()
          .min(30)
          .max(3650)
          .default(730)
          .describe('How long monthly reports stay in their S3 bucket, in days.'),
      })
      .prefault({})
      .describe('The KPI reports: `peakline report` and the monthly report written to S3.'),
    publicStatus: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "Publish the expected wait as a public JSON document the shop's website can show (no personal data).",
          ),
        normalReplyWithinHours: z
          .number()
          .int()
          .positive()
          .max(168)
          .default(2)
          .describe(
            'Hours the status document promises a reply to messages within while the primary queue is NORMAL (in OVERFLOW and DEFLECT it says `sms.replyWithinHours`).',
          ),
        cacheSeconds: z
          .number()
          .int()
          .min(10)
          .max(600)
          .default(60)
          .describe('How long browsers and the CDN may cache the document, in seconds.'),
        allowedOrigins: z
          .array(
            z
              .string()
              .regex(/^(\*|https:\/\/[^/\s]+)$/, 'expected "*" or an origin like "https://sklep.example.pl"'),
          )
          .min(1)
          .default(['*'])
          .describe(
            'Origins whose pages may fetch the document (CORS); `*`: any, fine for a document without personal data.',
          ),
      })
      .prefault({})
      .describe('The wait published to customers.'),
    orderStatus: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "Tell a caller where their order is before the menu and the queue (the inbound flow looks the caller's number up in the order index), offer the tracking link by SMS, and give the agent the order as contact attributes. Off: the index is not kept and the flow goes straight to routing.",
          ),
        lookupTimeoutSeconds: z
          .number()
          .int()
          .min(1)
          .max(8)
          .default(3)
          .describe(
            "How long the inbound flow waits for the order lookup, in seconds (Connect's limit is 8). The caller hears nothing meanwhile; past it the call goes on to routing as if no order were found.",
          ),
        maxOrdersPerPhone: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(5)
          .describe(
            'Orders kept in the index per phone: the most recent ones, older ones are removed when a new order arrives. Each is kept `sms.retentionDays` after its last change (or after it reached peakline, when later).',
          ),
        statusOnlyCallerShare: z
          .number()
          .min(0)
          .max(1)
          .default(0.22)
          .describe(
            '`peakline simulate`: the share of callers who only want their order status and are contained by it (they hear it and hang up or take the link by SMS, never reaching the queue). The default is what the bundled demo measures.',
          ),
      })
      .prefault({})
      .describe('Order status told before the queue ("where is my order?").'),
  })
  .strict();

/** The settings as ops write them (defaults still missing). */
export type PeaklineSettings = z.input<typeof configSchema>;
/** A stage's settings after validation, with every default filled in. */
export type PeaklineConfig = z.output<typeof configSchema> & { readonly stage: string };
