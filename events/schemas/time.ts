import { unlessMissing } from './common.js';
import * as z from './zod.js';

/**
 * An instant as the shop's backend saw it. The offset is required because peakline compares events from
 * different systems and applies quiet hours in the customer's zone: a bare local time would be read in
 * whichever zone the Lambda happens to run in.
 */
export const timestampSchema = z.iso
  .datetime({
    offset: true,
    error: unlessMissing(
      'expected an ISO-8601 date-time with an offset or Z, such as 2025-11-28T14:05:00+01:00',
    ),
  })
  .check(
    z.meta({
      description: 'ISO-8601 date-time with an offset or Z (RFC 3339), e.g. 2025-11-28T14:05:00+01:00.',
      examples: ['2025-11-28T14:05:00+01:00', '2025-11-28T13:05:00Z'],
    }),
  );

/** A carrier often promises only a day; when it promises a time window the start is an instant. */
export const dateOrTimestampSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: unlessMissing(
      'expected an ISO-8601 date such as 2025-12-02, or a date-time with an offset such as 2025-12-02T10:00:00+01:00',
    ),
  })
  .check(
    z.meta({
      description:
        'ISO-8601 calendar date (2025-12-02) or date-time with an offset (2025-12-02T10:00:00+01:00).',
      examples: ['2025-12-02', '2025-12-02T10:00:00+01:00'],
    }),
  );
