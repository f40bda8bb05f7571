/**
 * The wait published to customers (DESIGN.md, part 5): a small public JSON document the shop's website can
 * show as it is ("Phone: waiting time about 15 minutes. Messages: we reply within 24 hours."), made from the
 * overflow controller's samples, with nothing in it about any customer or agent.
 *
 * What a customer reads is a promise, so the document errs on the long side:
 * - the phone's wait is the primary queue's expected wait for a new caller (what the controller judges),
 *   rounded UP to what a person reads: under a minute, whole minutes to 10, then steps of 5 minutes, and
 *   "over an hour" from the expected wait's cap on;
 * - on any doubt it says the wait is unknown rather than short: no sample yet, a last sample older than the
 *   state's own maximum age (the controller stopped confirming it, the same rule every router applies),
 *   nobody logged in on calls (the wait model says 0 s for a closed line), or a queue judged on its oldest
 *   caller rather than on the expected wait;
 * - the messages' reply promise follows the primary queue's state (publicStatus.normalReplyWithinHours in
 *   NORMAL, sms.replyWithinHours in OVERFLOW and DEFLECT), and the longest of them when the state is unknown.
 *
 * The document is written only when what it says changes, plus a refresh before `validUntil` (a site must
 * treat a document past `validUntil` as unknown: a controller that stopped cannot take its last promise
 * back). A shorter wait waits `minRewriteSeconds` since the last write before it is published; a longer
 * one, a state change or an unknown goes out at once. So a quiet day is a refresh every half hour, and a
 * wait wobbling between two steps does not rewrite the object every sample.
 */
import type { RoutingState } from '../ports.js';
import type { QueueReading, SampleResult } from './controller.js';
import { EXPECTED_WAIT_CAP_SECONDS } from './expected-wait.js';
import { FALLBACK_STATE_MAX_AGE_SECONDS } from './freshness.js';

/** Bumped when a field changes meaning or goes away; new fields keep the version. */
export const PUBLIC_STATUS_SCHEMA_VERSION = 1;

/** How long a written document is believed, seconds, unless the settings say otherwise. */
export const DEFAULT_VALID_FOR_SECONDS = 3600;

/** The least time between two writes that only shorten the published wait, seconds. */
export const DEFAULT_MIN_REWRITE_SECONDS = 300;

/** The same sentence in each language the document carries. */
export interface Texts {
  readonly pl: string;
  readonly en: string;
}

/**
 * Why the wait is not published:
 * - `no-sample`: the controller has not judged the queue yet (since it started);
 * - `stale`: its last sample is older than the state's maximum age;
 * - `no-agents`: nobody is logged in on calls (closed, or everyone logged out);
 * - `no-estimate`: the queue is judged on its oldest caller, which says nothing of a new caller's wait.
 */
export type UnknownReason = 'no-sample' | 'stale' | 'no-agents' | 'no-estimate';

/** The phone's wait as a customer reads it. */
export type PublicWait =
  | { readonly estimate: 'under-a-minute' }
  /** About `minutes` (rounded up): 1 to 10, then 15, 20, ... 60. */
  | { readonly estimate: 'minutes'; readonly minutes: number }
  | { readonly estimate: 'over-an-hour' }
  | { readonly estimate: 'unknown'; readonly reason: UnknownReason };

export interface PhoneStatus {
  /** The primary queue's routing state; UNKNOWN when its last sample is missing or stale. */
  readonly state: RoutingState | 'UNKNOWN';
  readonly wait: PublicWait;
  readonly text: Texts;
}

export interface MessagesStatus {
  /** Hours within which a message (e-mail, form, SMS reply) is answered. */
  readonly replyWithinHours: number;
  readonly text: Texts;
}

/** The public status document, as written (JSON) and served. */
export interface PublicStatusDocument {
  readonly schemaVersion: typeof PUBLIC_STATUS_SCHEMA_VERSION;
  /** When it was made, ISO-8601 (the controller's clock). */
  readonly updatedAt: string;
  /** After this, ISO-8601, nothing in it holds: a site shows the wait as unknown. */
  readonly validUntil: string;
  /** `validUntil` - `updatedAt`, seconds. */
  readonly maxAgeSeconds: number;
  readonly channels: {
    readonly phone: PhoneStatus;
    readonly messages: MessagesStatus;
  };
  /** The whole status in one line per language. */
  readonly text: Texts;
}

/** Where the document goes: an S3 object on AWS, memory in the local stack. */
export interface PublicStatusWriter {
  write(document: PublicStatusDocument): Promise<void>;
}

export interface PublicStatusSettings {
  /** The reply promise per state of the primary queue, hours. */
  readonly replyWithinHours: Readonly<Record<RoutingState, number>>;
  /**
   * The watched queue whose callers the phone line is.
   * @default 'primary'
   */
  readonly phoneQueueKey?: string;
  /** @default DEFAULT_VALID_FOR_SECONDS (an hour) */
  readonly validForSeconds?: number;
  /** @default DEFAULT_MIN_REWRITE_SECONDS (5 minutes) */
  readonly minRewriteSeconds?: number;
}

/** The wait rounded to what a customer reads, always up: a promise kept early is no complaint. */
export const publicWait = (waitSeconds: number): PublicWait => {
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) return { estimate: 'unknown', reason: 'no-estimate' };
  if (waitSeconds < 60) return { estimate: 'under-a-minute' };
  // The expected wait's cap is what the model answers for "no end in sight" (no agent on calls at all).
  if (waitSeconds >= EXPECTED_WAIT_CAP_SECONDS) return { estimate: 'over-an-hour' };
  const minutes = Math.ceil(waitSeconds / 60);
  return { estimate: 'minutes', minutes: minutes <= 10 ? minutes : Math.ceil(minutes / 5) * 5 };
};

/** The phone's state and wait from its last reading, judged at `now`. */
export const phoneStatusOf = (
  reading: QueueReading | undefined,
  now: Date,
): { state: PhoneStatus['state']; wait: PublicWait } => {
  if (reading === undefined) return { state: 'UNKNOWN', wait: { estimate: 'unknown', reason: 'no-sample' } };
  const maxAgeMs = (reading.maxAgeSeconds ?? FALLBACK_STATE_MAX_AGE_SECONDS) * 1000;
  const ageMs = now.getTime() - Date.parse(reading.at);
  // A reading from the future is no better than an old one: a clock gone wrong.
  if (!(ageMs < maxAgeMs && ageMs > -maxAgeMs)) {
    return { state: 'UNKNOWN', wait: { estimate: 'unknown', reason: 'stale' } };
  }
  if (!reading.staffed) return { state: reading.state, wait: { estimate: 'unknown', reason: 'no-agents' } };
  if (!reading.expected)
    return { state: reading.state, wait: { estimate: 'unknown', reason: 'no-estimate' } };
  return { state: reading.state, wait: publicWait(reading.waitSeconds) };
};

/** Polish needs the genitive after "około"/"w ciągu": 1 minuty/godziny, otherwise minut/godzin. */
const minutesPl = (n: number) => (n === 1 ? 'minuty' : `${n} minut`);
const hoursPl = (n: number) => (n === 1 ? 'godziny' : `${n} godzin`);
const minutesEn = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);
const hoursEn = (n: number) => (n === 1 ? 'an hour' : `${n} hours`);

const waitTexts = (wait: PublicWait): Texts => {
  switch (wait.estimate) {
    case 'under-a-minute':
      return {
        pl: 'Telefon: czas oczekiwania poniżej minuty.',
        en: 'Phone: waiting time under a minute.',
      };
    case 'minutes':
      return {
        pl: `Telefon: czas oczekiwania około ${minutesPl(wait.minutes)}.`,
        en: `Phone: waiting time about ${minutesEn(wait.minutes)}.`,
      };
    case 'over-an-hour':
      return {
        pl: 'Telefon: czas oczekiwania ponad godzinę.',
        en: 'Phone: waiting time over an hour.',
      };
    case 'unknown':
      return {
        pl: 'Telefon: czas oczekiwania chwilowo nieznany.',
        en: 'Phone: waiting time unknown right now.',
      };
  }
};

const replyTexts = (hours: number): Texts => ({
  pl: `Wiadomości: odpowiadamy w ciągu ${hoursPl(hours)}.`,
  en: `Messages: we reply within ${hoursEn(hours)}.`,
});

/** The document for `now` from the phone queue's last reading. */
export const publicStatusDocument = (
  reading: QueueReading | undefined,
  settings: PublicStatusSettings,
  now: Date,
): PublicStatusDocument => {
  const validFor = settings.validForSeconds ?? DEFAULT_VALID_FOR_SECONDS;
  const { state, wait } = phoneStatusOf(reading, now);
  const promises = settings.replyWithinHours;
  // Not knowing the state, the shop's longest promise: never a shorter one than it may keep.
  const replyWithinHours =
    state === 'UNKNOWN' ? Math.max(promises.NORMAL, promises.OVERFLOW, promises.DEFLECT) : promises[state];
  const phoneText = waitTexts(wait);
  const messagesText = replyTexts(replyWithinHours);
  return {
    schemaVersion: PUBLIC_STATUS_SCHEMA_VERSION,
    updatedAt: now.toISOString(),
    validUntil: new Date(now.getTime() + validFor * 1000).toISOString(),
    maxAgeSeconds: validFor,
    channels: {
      phone: { state, wait, text: phoneText },
      messages: { replyWithinHours, text: messagesText },
    },
    text: {
      pl: `${phoneText.pl} ${messagesText.pl}`,
      en: `${phoneText.en} ${messagesText.en}`,
    },
  };
};

/** What a document says, without when: two documents saying the same have the same key. */
const contentKey = (document: PublicStatusDocument): string => JSON.stringify(document.channels);

/** The published wait as a number to compare, seconds; unknown counts as the longest. */
const waitRank = (wait: PublicWait): number => {
  switch (wait.estimate) {
    case 'under-a-minute':
      return 0;
    case 'minutes':
      return wait.minutes * 60;
    case 'over-an-hour':
      return EXPECTED_WAIT_CAP_SECONDS;
    case 'unknown':
      return Number.POSITIVE_INFINITY;
  }
};

export type WriteDecision =
  /** Nothing written yet (a cold start, a new stack). */
  | 'first'
  /** The state, the reply promise, or an unknown wait changed; or the wait grew. */
  | 'changed'
  /** Only a shorter wait, and the last write is `minRewriteSeconds` old. */
  | 'shorter'
  /** The same content, and less than half of its validity is left. */
  | 'refresh'
  /** The same content, valid long enough. */
  | 'unchanged'
  /** A shorter wait that waits for `minRewriteSeconds` since the last write. */
  | 'held';

/** Whether `next` is written, given the last document written and when. */
export const writeDecision = (
  previous: { readonly document: PublicStatusDocument; readonly writtenAtMs: number } | undefined,
  next: PublicStatusDocument,
  settings: Pick<PublicStatusSettings, 'minRewriteSeconds'>,
  nowMs: number,
): WriteDecision => {
  if (previous === undefined) return 'first';
  const before = previous.document;
  if (contentKey(before) === contentKey(next)) {
    const leftMs = Date.parse(before.validUntil) - nowMs;
    return leftMs < (before.maxAgeSeconds * 1000) / 2 ? 'refresh' : 'unchanged';
  }
  const [was, is] = [before.channels, next.channels];
  const shorterOnly =
    was.phone.state === is.phone.state &&
    was.messages.replyWithinHours === is.messages.replyWithinHours &&
    waitRank(is.phone.wait) < waitRank(was.phone.wait) &&
    was.phone.wait.estimate !== 'unknown';
  if (!shorterOnly) return 'changed';
  const minRewriteMs = (settings.minRewriteSeconds ?? DEFAULT_MIN_REWRITE_SECONDS) * 1000;
  return nowMs - previous.writtenAtMs >= minRewriteMs ? 'shorter' : 'held';
};

export interface PublishResult {
  readonly decision: WriteDecision;
  /** True when the writer took the document. */
  readonly written: boolean;
  /** Present when the writer failed: the document is tried again on the next publish. */
  readonly error?: string;
  readonly document: PublicStatusDocument;
}

/**
 * Keeps the public document in step with the controller: it remembers the phone queue's newest reading
 * and the last document written (for as long as it lives: a Lambda container, the local stack), and
 * writes through the port only when `writeDecision` says so. A failed write is reported, never thrown: the
 * routing states matter more than the website's line, and the next publish tries again.
 */
export class PublicStatusPublisher {
  private reading: QueueReading | undefined;
  private last: { document: PublicStatusDocument; writtenAtMs: number } | undefined;

  constructor(
    private readonly writer: PublicStatusWriter,
    private readonly settings: PublicStatusSettings,
  ) {}

  /** Takes the samples of a run (any order), then writes the document for `now` if it must. */
  async publish(samples: readonly Pick<SampleResult, 'readings'>[], now: Date): Promise<PublishResult> {
    const key = this.settings.phoneQueueKey ?? 'primary';
    for (const sample of samples) {
      const reading = sample.readings[key];
      if (reading !== undefined && (this.reading === undefined || reading.at > this.reading.at)) {
        this.reading = reading;
      }
    }
    const document = publicStatusDocument(this.reading, this.settings, now);
    const decision = writeDecision(this.last, document, this.settings, now.getTime());
    if (decision === 'unchanged' || decision === 'held') return { decision, written: false, document };
    try {
      await this.writer.write(document);
    } catch (error) {
      return {
        decision,
        written: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        document,
      };
    }
    this.last = { document, writtenAtMs: now.getTime() };
    return { decision, written: true, document };
  }
}
