import { publicStatusDocument } from '#core/routing/public-status.js';

/**
 * A public status document as the overflow controller writes it in OVERFLOW (a 700 s expected wait, the
 * texts in Polish and English): what the S3 writer's tests put.
 */
export const OVERFLOW_STATUS_DOCUMENT = publicStatusDocument(
  {
    state: 'OVERFLOW',
    waitSeconds: 700,
    expected: true,
    staffed: true,
    oldestContactAgeSeconds: 300,
    contactsInQueue: 12,
    at: '2026-11-27T18:00:00.000Z',
    maxAgeSeconds: 45,
  },
  { replyWithinHours: { NORMAL: 2, OVERFLOW: 4, DEFLECT: 24 } },
  new Date('2026-11-27T18:00:05.000Z'),
);
