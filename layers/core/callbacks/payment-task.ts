/**
 * PaymentIssueReported -> a task for the accounting queue, worked by light agents (tasks only, no
 * outbound calls). The task carries the case, not the phone number: a light agent cannot dial, and the
 * customer id finds the customer in the shop's back office.
 */
import { createHash } from 'node:crypto';
import type { PaymentIssue, PaymentIssueReported } from '#events/index.js';
import type { ContactCentre, NewTask } from '../ports.js';
import { inertText } from '../text/sanitise.js';
import { TASK_QUEUE_ATTRIBUTE } from './callback-task.js';
import {
  type AgentLanguage,
  agentLanguageOf,
  formatDateTime,
  formatMoney,
  oneLine,
  plainAmount,
  TASK_DESCRIPTION_MAX,
  TASK_NAME_MAX,
  truncate,
} from './task-text.js';

export const PAYMENT_TASK_KIND = 'payment-issue';

export interface PaymentTaskSettings {
  /** The accounting queue's id in the contact centre (the queue key locally). */
  readonly accountingQueueId: string;
  /** The agents' language (config `connect.language`). */
  readonly agentLocale: string;
  /** The centre's zone, in which the task shows times. */
  readonly timeZone: string;
}

const ISSUE_WORDS: Readonly<Record<AgentLanguage, Readonly<Record<PaymentIssue, string>>>> = {
  pl: {
    PAYMENT_FAILED: 'Płatność nieudana',
    REFUND_REQUESTED: 'Prośba o zwrot pieniędzy',
    CHARGEBACK: 'Chargeback (obciążenie zwrotne)',
    INVOICE_CORRECTION: 'Korekta faktury',
  },
  en: {
    PAYMENT_FAILED: 'Payment failed',
    REFUND_REQUESTED: 'Refund requested',
    CHARGEBACK: 'Chargeback',
    INVOICE_CORRECTION: 'Invoice correction',
  },
};

const WORDS = {
  pl: {
    name: (issue: string, orderId: string) => `Księgowość: ${issue}, zamówienie ${orderId}`,
    order: (orderId: string) => `Zamówienie: ${orderId}`,
    amount: (amount: string) => `Kwota: ${amount}`,
    reported: (at: string) => `Zgłoszone przez sklep: ${at}`,
    customer: (id: string, locale: string) => `Klient: ${id} (język: ${locale})`,
    note: (note: string) => `Notatka sklepu: ${note}`,
  },
  en: {
    name: (issue: string, orderId: string) => `Accounting: ${issue}, order ${orderId}`,
    order: (orderId: string) => `Order: ${orderId}`,
    amount: (amount: string) => `Amount: ${amount}`,
    reported: (at: string) => `Reported by the shop: ${at}`,
    customer: (id: string, locale: string) => `Customer: ${id} (language: ${locale})`,
    note: (note: string) => `Shop's note: ${note}`,
  },
} as const;

/**
 * The same report gives the same token (a redelivery, a replay from the archive, the shop sending it
 * twice), so Connect creates one task; another report on the same order and issue, at another time, is
 * a new case and gets a task of its own.
 */
export const paymentClientToken = (
  event: Pick<PaymentIssueReported, 'orderId' | 'issue' | 'reportedAt'>,
): string =>
  `peakline-payment-${createHash('sha256')
    .update(
      `peakline:payment:${event.orderId}\u0000${event.issue}\u0000${new Date(event.reportedAt).toISOString()}`,
    )
    .digest('base64url')}`;

export const paymentIssueTask = (event: PaymentIssueReported, settings: PaymentTaskSettings): NewTask => {
  const language = agentLanguageOf(settings.agentLocale);
  const words = WORDS[language];
  const issue = ISSUE_WORDS[language][event.issue];
  const locale = settings.agentLocale;
  const description = [
    `${issue}.`,
    words.order(oneLine(event.orderId)),
    ...(event.amount ? [words.amount(formatMoney(event.amount, locale))] : []),
    words.reported(formatDateTime(event.reportedAt, locale, settings.timeZone)),
    words.customer(oneLine(event.customer.customerId), event.customer.locale),
    // The note keeps its line breaks: it is the shop's own account of the case.
    ...(event.note ? [words.note(inertText(event.note, { multiline: true }).trim())] : []),
  ].join('\n');
  return {
    queueId: settings.accountingQueueId,
    name: truncate(words.name(issue, oneLine(event.orderId)), TASK_NAME_MAX),
    description: truncate(description, TASK_DESCRIPTION_MAX),
    attributes: {
      [TASK_QUEUE_ATTRIBUTE]: settings.accountingQueueId,
      peaklineKind: PAYMENT_TASK_KIND,
      orderId: event.orderId,
      issue: event.issue,
      ...(event.amount ? { amount: plainAmount(event.amount.amount), currency: event.amount.currency } : {}),
      customerId: event.customer.customerId,
      customerLocale: event.customer.locale,
      reportedAt: new Date(event.reportedAt).toISOString(),
      ...(event.note ? { note: event.note } : {}),
    },
    clientToken: paymentClientToken(event),
  };
};

export interface PaymentTaskDeps {
  readonly contactCentre: Pick<ContactCentre, 'startTask'>;
  readonly settings: PaymentTaskSettings;
}

/**
 * Starts the accounting task. Safe to run again for the same report (a redelivery after a timeout):
 * the client token makes Connect answer with the task it already created. Throttling that outlives the
 * adapter's retries is thrown, for the queue to deliver the event again.
 */
export const createPaymentIssueTask = async (
  event: PaymentIssueReported,
  deps: PaymentTaskDeps,
): Promise<{ readonly contactId: string; readonly task: NewTask }> => {
  const task = paymentIssueTask(event, deps.settings);
  const { contactId } = await deps.contactCentre.startTask(task);
  return { contactId, task };
};
