/**
 * What the KPI report is made of, and the ports it reads through. The report (`peakline report`, the
 * monthly report function) is built by the core from these figures; where they come from is the
 * adapters' business: Amazon Connect's GetMetricDataV2 on AWS, the simulator in the local stack, and
 * peakline's own facts table (SMS, callbacks) on DynamoDB in both.
 */
import type { Channel } from '../ports.js';

/** A day in the shop's time zone, YYYY-MM-DD. */
export type Day = string;

/** A queue as the report names it: peakline's key and Connect's id and name. */
export interface ReportQueue {
  /** peakline's key: `primary`, `secondLine`, `callback`, `accounting`. */
  readonly key: string;
  /** The queue's id in Connect (the simulator's id locally). */
  readonly id: string;
  readonly name: string;
}

/**
 * One queue, one channel, one day, as GetMetricDataV2 reports it (IntervalPeriod DAY in the shop's time
 * zone, grouped by QUEUE and CHANNEL). A figure Connect returns no value for is null, never 0.
 */
export interface DailyQueueFigures {
  readonly day: Day;
  readonly queueKey: string;
  readonly channel: Channel;
  /** CONTACTS_QUEUED. */
  readonly contactsQueued: number;
  /** CONTACTS_HANDLED. */
  readonly contactsHandled: number;
  /** CONTACTS_ABANDONED. */
  readonly contactsAbandoned: number;
  /** SERVICE_LEVEL (Threshold LT serviceLevelSeconds) as a share 0-1 (Connect answers a percentage). */
  readonly serviceLevel: number | null;
  /** AVG_QUEUE_ANSWER_TIME, seconds. */
  readonly avgQueueAnswerTimeSeconds: number | null;
  /** AVG_HANDLE_TIME, seconds. */
  readonly avgHandleTimeSeconds: number | null;
  /** MAX_QUEUED_TIME, seconds. */
  readonly maxQueuedTimeSeconds: number | null;
}

export interface ContactMetricsQuery {
  /** Inclusive start and exclusive end, both midnights in `timeZone`. */
  readonly from: Date;
  readonly to: Date;
  /** IANA zone the days are cut in (the shop's, `connect.timeZone`). */
  readonly timeZone: string;
  readonly queues: readonly ReportQueue[];
  /** The service level's threshold, seconds. */
  readonly serviceLevelSeconds: number;
}

/** Amazon Connect's historical metrics (GetMetricDataV2) on AWS; the simulator's in the local stack. */
export interface ContactMetricsSource {
  dailyQueueFigures(query: ContactMetricsQuery): Promise<DailyQueueFigures[]>;
}

/** SMS of one day, kind, order status and outcome (and suppression reason), as peakline recorded them. */
export interface DailySmsFigures {
  readonly day: Day;
  /** The template kind: `order-confirmation`, `status`, `deflection`, `saved-cart`, … */
  readonly kind: string;
  /** The order status the SMS told, when it was about an order. */
  readonly status?: string;
  readonly outcome: 'SENT' | 'SUPPRESSED';
  /** Why it was suppressed (consent, suppression list, cap, …); SUPPRESSED only. */
  readonly reason?: string;
  readonly count: number;
  /** Parts (segments) billed; 0 for suppressed SMS. */
  readonly parts: number;
}

/** Cart callbacks of one day. */
export interface DailyCallbackFigures {
  readonly day: Day;
  readonly scheduled: number;
  /** Tasks made for an agent (CallbackCreated). */
  readonly created: number;
  /** Cancelled, by reason (`order-placed`, `replaced-by-sms`, …). */
  readonly cancelled: Readonly<Record<string, number>>;
  /** Callbacks made this day whose cart was ordered after the task was created (callback conversion). */
  readonly converted: number;
  /**
   * The value of those carts by currency (ISO 4217), e.g. `{ PLN: 54200 }`: amounts in different currencies
   * are never added up. Empty when none was converted.
   */
  readonly convertedValues: Readonly<Record<string, number>>;
}

/** peakline's own figures from its facts table: SMS and callbacks per day. */
export interface OwnFiguresSource {
  smsFigures(range: {
    readonly from: Date;
    readonly to: Date;
    readonly timeZone: string;
  }): Promise<DailySmsFigures[]>;
  callbackFigures(range: {
    readonly from: Date;
    readonly to: Date;
    readonly timeZone: string;
  }): Promise<DailyCallbackFigures[]>;
}
