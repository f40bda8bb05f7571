/**
 * The overflow controller's environment: its fields, checked by hand at cold start, and what the handler
 * and wiring derive from them. environment.ts re-exports all of it beside the zod schema of the same fields
 * the CDK app checks at synth, so the controller's bundle builds no schema (see
 * #adapters/environment/fields.ts).
 */
import {
  type EnvField,
  EnvFieldError,
  type EnvValues,
  integer,
  matching,
  optional,
  queueArn,
  readFields,
  text,
} from '#adapters/environment/fields.js';
import type { SecondLine, WatchedQueue } from '#core/routing/controller.js';
import type { RoutingState } from '#core/ports.js';
import type { WaitModel } from '#core/routing/expected-wait.js';
import { defaultStateMaxAgeSeconds } from '#core/routing/freshness.js';
import type { Thresholds } from '#core/routing/hysteresis.js';

/** The queues the controller may watch (config `overflow.queues`). */
export const WATCHED_QUEUE_KEYS = ['primary', 'callback'] as const;
export type WatchedQueueKey = (typeof WATCHED_QUEUE_KEYS)[number];

/** A number in (`above`, `max`], fractions allowed. */
const numberAbove = (above: number, max: number): EnvField<number> => ({
  parse: (raw) => {
    const value = Number(text().parse(raw).trim());
    if (!Number.isFinite(value)) throw new EnvFieldError('expected a number');
    if (value <= above) throw new EnvFieldError(`above ${above}`);
    if (value > max) throw new EnvFieldError(`at most ${max}`);
    return value;
  },
});

/** Comma-separated queue keys, e.g. `primary,callback`. */
const watchedQueueKeys = (): EnvField<WatchedQueueKey[]> => ({
  parse: (raw) => {
    const keys = text()
      .parse(raw)
      .split(',')
      .map((key) => key.trim());
    const unknown = keys.filter((key) => !(WATCHED_QUEUE_KEYS as readonly string[]).includes(key));
    if (unknown.length > 0)
      throw new EnvFieldError(
        `expected keys among ${WATCHED_QUEUE_KEYS.join(', ')}, got "${unknown.join('", "')}"`,
      );
    return keys as WatchedQueueKey[];
  },
});

/**
 * What the overflow controller reads from `process.env`, checked by hand at cold start (no zod schema built
 * at load: see #adapters/environment/fields.ts); environment.ts gives the same fields as the zod schema
 * PeaklineFunction checks at synth.
 */
export const overflowControllerFields = {
  ROUTING_TABLE_NAME: text(),
  EVENT_BUS_NAME: text(),
  OPS_TOPIC_ARN: matching(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN'),
  /** The Connect instance's id (the last part of its ARN), which GetCurrentMetricData takes. */
  CONNECT_INSTANCE_ID: text(),
  /** The watched queues' keys, comma-separated, e.g. `primary,callback`. */
  OVERFLOW_QUEUES: watchedQueueKeys(),
  /** The queues' ARNs: GetCurrentMetricData is asked by ARN, and the id in an ARN is its last part. */
  QUEUE_ARN_PRIMARY: queueArn(),
  QUEUE_ARN_CALLBACK: queueArn(),
  /** The second line, asked for in the same metrics call: its own expected wait sets the callers' share. */
  QUEUE_ARN_SECOND_LINE: queueArn(),
  OVERFLOW_SAMPLES_PER_MINUTE: integer({ min: 1, max: 12 }),
  OVERFLOW_ENTER_WAIT_SECONDS: integer({ min: 1 }),
  OVERFLOW_ENTER_SAMPLES: integer({ min: 1 }),
  OVERFLOW_EXIT_WAIT_SECONDS: integer({ min: 0 }),
  OVERFLOW_EXIT_SAMPLES: integer({ min: 1 }),
  OVERFLOW_DEFLECT_WAIT_SECONDS: integer({ min: 1 }),
  /** The least time a state lasts before it may change, seconds. */
  OVERFLOW_MIN_DWELL_SECONDS: integer({ min: 0, max: 3600 }),
  /** Mean handling time of a call, seconds: the expected waits' service rate. */
  OVERFLOW_HANDLING_SECONDS: integer({ min: 10, max: 3600 }),
  /** Mean patience of a caller, seconds: the expected waits' abandonment rate. */
  OVERFLOW_PATIENCE_SECONDS: integer({ min: 10, max: 3600 }),
  /** How much shorter the second line's expected wait must be before a caller is sent there, seconds. */
  OVERFLOW_SECOND_LINE_MARGIN_SECONDS: integer({ min: 0, max: 600 }),
  /** The most of the callers sent to the second line, above 0 and at most 1. */
  OVERFLOW_SECOND_LINE_MAX_SHARE: numberAbove(0, 1),
  /** Stamped on every state written: how long readers believe it without a newer sample (freshness.ts). */
  /** Absent: three sample periods. */
  OVERFLOW_STATE_MAX_AGE_SECONDS: optional(numberAbove(0, 600)),
  /**
   * The public status document's bucket (infra/constructs/public-status.ts adds these variables). Absent:
   * no document is published (`publicStatus.enabled` false).
   */
  PUBLIC_STATUS_BUCKET: optional(text()),
  /** The document's key in the bucket: the path of its URL. */
  PUBLIC_STATUS_KEY: optional(text()),
  /** `publicStatus.cacheSeconds`: the object's Cache-Control max-age. */
  PUBLIC_STATUS_CACHE_SECONDS: optional(integer({ min: 10, max: 600 })),
  /** The reply promise per state, hours: `publicStatus.normalReplyWithinHours`, `sms.replyWithinHours`. */
  PUBLIC_STATUS_REPLY_HOURS_NORMAL: optional(integer({ min: 1, max: 168 })),
  PUBLIC_STATUS_REPLY_HOURS_OVERFLOW: optional(integer({ min: 1, max: 168 })),
  PUBLIC_STATUS_REPLY_HOURS_DEFLECT: optional(integer({ min: 1, max: 168 })),
};

export type OverflowControllerEnvironment = EnvValues<typeof overflowControllerFields>;

/** The controller's environment at cold start, or an error naming every bad variable. */
export const readOverflowControllerEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): OverflowControllerEnvironment => readFields(overflowControllerFields, env);

export interface OverflowControllerResources {
  readonly routingTable: string;
  readonly busName: string;
  readonly opsTopicArn: string;
  readonly connectInstanceId: string;
  /** The watched queues' ARNs, and the second line's (sampled with them, never watched). */
  readonly queueArns: Readonly<Record<WatchedQueueKey | 'secondLine', string>>;
}

export interface OverflowSettings {
  readonly queues: readonly WatchedQueueKey[];
  readonly samplesPerMinute: number;
  readonly enterWaitSeconds: number;
  readonly enterSamples: number;
  readonly exitWaitSeconds: number;
  readonly exitSamples: number;
  readonly deflectWaitSeconds: number;
  readonly minDwellSeconds: number;
  readonly handlingSeconds: number;
  readonly patienceSeconds: number;
  readonly secondLineMarginSeconds: number;
  readonly secondLineMaxShare: number;
  readonly stateMaxAgeSeconds?: number;
}

/** `overflow.stateMaxAgeSeconds`, or its default: three sample periods. */
export const stateMaxAgeSecondsOf = (overflow: {
  readonly samplesPerMinute: number;
  readonly stateMaxAgeSeconds?: number;
}): number => overflow.stateMaxAgeSeconds ?? defaultStateMaxAgeSeconds(overflow.samplesPerMinute);

/** The controller's environment from the stage's settings, as the CDK app builds it. */
export const overflowControllerEnvironmentFrom = (
  config: { readonly overflow: OverflowSettings },
  resources: OverflowControllerResources,
): Record<string, string> => ({
  ROUTING_TABLE_NAME: resources.routingTable,
  EVENT_BUS_NAME: resources.busName,
  OPS_TOPIC_ARN: resources.opsTopicArn,
  CONNECT_INSTANCE_ID: resources.connectInstanceId,
  OVERFLOW_QUEUES: config.overflow.queues.join(','),
  QUEUE_ARN_PRIMARY: resources.queueArns.primary,
  QUEUE_ARN_CALLBACK: resources.queueArns.callback,
  QUEUE_ARN_SECOND_LINE: resources.queueArns.secondLine,
  OVERFLOW_SAMPLES_PER_MINUTE: String(config.overflow.samplesPerMinute),
  OVERFLOW_ENTER_WAIT_SECONDS: String(config.overflow.enterWaitSeconds),
  OVERFLOW_ENTER_SAMPLES: String(config.overflow.enterSamples),
  OVERFLOW_EXIT_WAIT_SECONDS: String(config.overflow.exitWaitSeconds),
  OVERFLOW_EXIT_SAMPLES: String(config.overflow.exitSamples),
  OVERFLOW_DEFLECT_WAIT_SECONDS: String(config.overflow.deflectWaitSeconds),
  OVERFLOW_MIN_DWELL_SECONDS: String(config.overflow.minDwellSeconds),
  OVERFLOW_HANDLING_SECONDS: String(config.overflow.handlingSeconds),
  OVERFLOW_PATIENCE_SECONDS: String(config.overflow.patienceSeconds),
  OVERFLOW_SECOND_LINE_MARGIN_SECONDS: String(config.overflow.secondLineMarginSeconds),
  OVERFLOW_SECOND_LINE_MAX_SHARE: String(config.overflow.secondLineMaxShare),
  OVERFLOW_STATE_MAX_AGE_SECONDS: String(stateMaxAgeSecondsOf(config.overflow)),
});

/** The queue's id in a Connect queue ARN (`.../instance/<instance>/queue/<id>`). */
export const queueIdOfArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

export const thresholdsFrom = (env: OverflowControllerEnvironment): Thresholds => ({
  enterWaitSeconds: env.OVERFLOW_ENTER_WAIT_SECONDS,
  enterSamples: env.OVERFLOW_ENTER_SAMPLES,
  exitWaitSeconds: env.OVERFLOW_EXIT_WAIT_SECONDS,
  exitSamples: env.OVERFLOW_EXIT_SAMPLES,
  deflectWaitSeconds: env.OVERFLOW_DEFLECT_WAIT_SECONDS,
  minDwellSeconds: env.OVERFLOW_MIN_DWELL_SECONDS,
});

export const waitModelFrom = (env: OverflowControllerEnvironment): WaitModel => ({
  handlingSeconds: env.OVERFLOW_HANDLING_SECONDS,
  patienceSeconds: env.OVERFLOW_PATIENCE_SECONDS,
});

/** The second line: asked for by ARN in the watched queues' metrics call, and how callers are shared. */
export const secondLineFrom = (env: OverflowControllerEnvironment): SecondLine => ({
  metricsId: env.QUEUE_ARN_SECOND_LINE,
  marginSeconds: env.OVERFLOW_SECOND_LINE_MARGIN_SECONDS,
  maxShare: env.OVERFLOW_SECOND_LINE_MAX_SHARE,
});

/**
 * What each queue is judged on: the primary queue on the expected wait of a new caller (its calls only: a
 * chat backlog must not move callers whose own wait is short); the callback queue, which nobody joins by
 * choice, on its oldest contact's age over all its channels (callback calls and cart-callback tasks); its state
 * routes nobody (it postpones cart callbacks).
 */
const JUDGED: Readonly<Record<WatchedQueueKey, Pick<WatchedQueue, 'channel' | 'signal' | 'routesCallers'>>> =
  {
    primary: { channel: 'VOICE', signal: 'expected-wait' },
    callback: { signal: 'oldest-contact', routesCallers: false },
  };

/** The watched queues: asked for by ARN, stored under their key, announced with their Connect id. */
export const watchedQueuesFrom = (env: OverflowControllerEnvironment): WatchedQueue[] => {
  const arns: Readonly<Record<WatchedQueueKey, string>> = {
    primary: env.QUEUE_ARN_PRIMARY,
    callback: env.QUEUE_ARN_CALLBACK,
  };
  return [...new Set(env.OVERFLOW_QUEUES)].map((key) => ({
    key,
    metricsId: arns[key],
    queueId: queueIdOfArn(arns[key]),
    ...JUDGED[key],
  }));
};

/** Where the document goes and what it promises, when the stage publishes one. */
export interface PublicStatusEnvironment {
  readonly bucket: string;
  readonly key: string;
  readonly cacheSeconds: number;
  readonly replyWithinHours: Readonly<Record<RoutingState, number>>;
}

/** The object key of the document: the path a site fetches (`https://<cdn>/status.json`). */
export const PUBLIC_STATUS_KEY = 'status.json';

/** The controller's public-status variables from the stage's settings and the bucket's name. */
export const publicStatusEnvironmentFrom = (
  config: {
    readonly publicStatus: { readonly normalReplyWithinHours: number; readonly cacheSeconds: number };
    readonly sms: { readonly replyWithinHours: { readonly OVERFLOW: number; readonly DEFLECT: number } };
  },
  resources: { readonly bucketName: string; readonly key?: string },
): Record<string, string> => ({
  PUBLIC_STATUS_BUCKET: resources.bucketName,
  PUBLIC_STATUS_KEY: resources.key ?? PUBLIC_STATUS_KEY,
  PUBLIC_STATUS_CACHE_SECONDS: String(config.publicStatus.cacheSeconds),
  PUBLIC_STATUS_REPLY_HOURS_NORMAL: String(config.publicStatus.normalReplyWithinHours),
  PUBLIC_STATUS_REPLY_HOURS_OVERFLOW: String(config.sms.replyWithinHours.OVERFLOW),
  PUBLIC_STATUS_REPLY_HOURS_DEFLECT: String(config.sms.replyWithinHours.DEFLECT),
});

/**
 * The public status settings, or undefined when the stage publishes none (no bucket). A bucket without
 * the rest is a broken deployment, refused at cold start rather than publishing half a promise.
 */
export const publicStatusFrom = (env: OverflowControllerEnvironment): PublicStatusEnvironment | undefined => {
  if (env.PUBLIC_STATUS_BUCKET === undefined) return undefined;
  const { PUBLIC_STATUS_KEY: key, PUBLIC_STATUS_CACHE_SECONDS: cacheSeconds } = env;
  const [NORMAL, OVERFLOW, DEFLECT] = [
    env.PUBLIC_STATUS_REPLY_HOURS_NORMAL,
    env.PUBLIC_STATUS_REPLY_HOURS_OVERFLOW,
    env.PUBLIC_STATUS_REPLY_HOURS_DEFLECT,
  ];
  if (
    key === undefined ||
    cacheSeconds === undefined ||
    NORMAL === undefined ||
    OVERFLOW === undefined ||
    DEFLECT === undefined
  ) {
    throw new Error(
      'PUBLIC_STATUS_BUCKET is set but not PUBLIC_STATUS_KEY, PUBLIC_STATUS_CACHE_SECONDS and PUBLIC_STATUS_REPLY_HOURS_{NORMAL,OVERFLOW,DEFLECT}: see publicStatusEnvironmentFrom',
    );
  }
  return {
    bucket: env.PUBLIC_STATUS_BUCKET,
    key,
    cacheSeconds,
    replyWithinHours: { NORMAL, OVERFLOW, DEFLECT },
  };
};
