import { enumOf, identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { moneySchema } from './money.js';
import { timestampSchema } from './time.js';
import * as z from './zod.js';

export const PAYMENT_ISSUES = [
  'PAYMENT_FAILED',
  'REFUND_REQUESTED',
  'CHARGEBACK',
  'INVOICE_CORRECTION',
] as const;
export type PaymentIssue = (typeof PAYMENT_ISSUES)[number];

export const paymentIssueReportedSchema = z
  .object({
    customer: customerSchema,
    orderId: identifierSchema('The order the payment issue is about.'),
    issue: enumOf(PAYMENT_ISSUES, 'What went wrong.'),
    amount: z.optional(
      moneySchema.check(z.describe('The amount concerned, always positive (also for refunds).')),
    ),
    note: z.optional(
      z
        .string()
        .check(z.maxLength(1000), z.describe('Context for the accounting agent; not shown to the customer.')),
    ),
    reportedAt: timestampSchema.check(z.describe('When the shop learned about the issue.')),
  })
  .check(
    z.meta({
      title: 'PaymentIssueReported',
      description: 'A payment needs a human. peakline creates a task for the accounting queue.',
    }),
  );

export type PaymentIssueReported = z.infer<typeof paymentIssueReportedSchema>;
