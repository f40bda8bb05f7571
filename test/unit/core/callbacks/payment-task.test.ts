import { describe, expect, it } from 'vitest';
import {
  createPaymentIssueTask,
  paymentClientToken,
  paymentIssueTask,
  type PaymentTaskSettings,
} from '#core/callbacks/payment-task.js';
import { type PaymentIssueReported, shopDetailSchemas } from '#events/index.js';
import { sampleEntries } from '#test/support/events.js';
import { fakeContactCentre } from './fixtures.js';

const SETTINGS: PaymentTaskSettings = {
  accountingQueueId: 'q-accounting',
  agentLocale: 'pl-PL',
  timeZone: 'Europe/Warsaw',
};

/** The committed samples: PAYMENT_FAILED (ru-RU customer), REFUND_REQUESTED, CHARGEBACK, INVOICE_CORRECTION. */
const sample = (index: number): PaymentIssueReported =>
  shopDetailSchemas.PaymentIssueReported.parse(
    JSON.parse(sampleEntries('payment-issue-reported')[index]?.Detail ?? ''),
  );

describe('paymentIssueTask', () => {
  it('gives the accounting agent the case: issue, order, amount, when, who, and the shop’s note', () => {
    // Act
    const task = paymentIssueTask(sample(0), SETTINGS);

    // Assess
    expect(task).toEqual({
      queueId: 'q-accounting',
      name: 'Księgowość: Płatność nieudana, zamówienie PL-2025-118790',
      description: [
        'Płatność nieudana.',
        'Zamówienie: PL-2025-118790',
        'Kwota: 459,50 zł',
        'Zgłoszone przez sklep: 28.11.2025, 22:05',
        'Klient: C-0977410 (język: ru-RU)',
        'Notatka sklepu: BLIK odrzucony przez bank (przekroczony limit dzienny); klientka chce zapłacić przelewem.',
      ].join('\n'),
      attributes: {
        peaklineQueueId: 'q-accounting',
        peaklineKind: 'payment-issue',
        orderId: 'PL-2025-118790',
        issue: 'PAYMENT_FAILED',
        amount: '459.50',
        currency: 'PLN',
        customerId: 'C-0977410',
        customerLocale: 'ru-RU',
        reportedAt: '2025-11-28T21:05:02.000Z',
        note: 'BLIK odrzucony przez bank (przekroczony limit dzienny); klientka chce zapłacić przelewem.',
      },
      clientToken: paymentClientToken(sample(0)),
    });
  });

  it('leaves the amount out when the shop gave none, and never carries the phone', () => {
    // Act
    const task = paymentIssueTask(sample(3), SETTINGS);

    // Assess
    expect(task.name).toBe('Księgowość: Korekta faktury, zamówienie PL-2025-117455');
    expect(task.description).not.toContain('Kwota');
    expect(task.attributes).not.toHaveProperty('amount');
    expect(JSON.stringify(task)).not.toContain(sample(3).customer.phone);
  });

  it('speaks English to English-speaking agents', () => {
    // Act
    const task = paymentIssueTask(sample(2), { ...SETTINGS, agentLocale: 'en-GB' });

    // Assess
    expect(task.name).toBe('Accounting: Chargeback, order PL-2025-117455');
    expect(task.description).toContain('Reported by the shop: 04/12/2025, 10:00');
  });

  it('derives one token per report: the same report again gets it, another report another', () => {
    // Prepare
    const report = sample(1);
    const sameInstantOtherOffset = { ...report, reportedAt: '2025-12-03T11:18:40Z' };
    const later = { ...report, reportedAt: '2025-12-05T12:00:00+01:00' };
    const otherIssue = { ...report, issue: 'CHARGEBACK' as const };

    // Act
    const tokens = [report, sameInstantOtherOffset, later, otherIssue].map(paymentClientToken);

    // Assess
    expect(tokens[1]).toBe(tokens[0]);
    expect(new Set(tokens).size).toBe(3);
    expect(tokens.every((token) => token.length <= 500)).toBe(true);
  });

  it('creates one task when the same report is delivered twice', async () => {
    // Prepare
    const centre = fakeContactCentre();
    const deps = { contactCentre: centre, settings: SETTINGS };

    // Act
    const first = await createPaymentIssueTask(sample(0), deps);
    const again = await createPaymentIssueTask(sample(0), deps);

    // Assess
    expect(again.contactId).toBe(first.contactId);
    expect(centre.contacts.size).toBe(1);
    expect(centre.requests[0]?.queueId).toBe('q-accounting');
  });
});
