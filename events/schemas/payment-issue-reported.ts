import * as z from 'zod';
import { enumOf, identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { moneySchema } from './money.js';
import { timestampSchema } from './time.js';

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
    amount: moneySchema.describe('The amount concerned, always positive (also for refunds).').optional(),
    note: z
      .string()
      .max(1000)
      .describe('Context for the accounting agent; not shown to the customer.')
      .optional(),
    reportedAt: timestampSchema.describe('When the shop learned about the issue.'),
  })
  .meta({
    title: 'PaymentIssueReported',
    description: 'A payment needs a human. peakline creates a task for the accounting queue.',
  });

export type PaymentIssueReported = z.infer<typeof paymentIssueReportedSchema>;
