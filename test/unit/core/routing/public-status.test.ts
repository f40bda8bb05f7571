import { describe, expect, it } from 'vitest';
import type { QueueReading } from '#core/routing/controller.js';
import {
  type PublicStatusDocument,
  PublicStatusPublisher,
  type PublicStatusSettings,
  publicStatusDocument,
  publicWait,
} from '#core/routing/public-status.js';

const T0 = Date.parse('2026-11-27T18:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const SETTINGS: PublicStatusSettings = { replyWithinHours: { NORMAL: 2, OVERFLOW: 4, DEFLECT: 24 } };

/** The primary queue as the controller read it `seconds` after T0: staffed, judged on the expected wait. */
const reading = (seconds: number, over: Partial<QueueReading> = {}): QueueReading => ({
  state: 'NORMAL',
  waitSeconds: 30,
  expected: true,
  staffed: true,
  oldestContactAgeSeconds: 0,
  contactsInQueue: 0,
  at: at(seconds).toISOString(),
  maxAgeSeconds: 45,
  ...over,
});

const sample = (r: QueueReading) => ({ readings: { primary: r } });

/** A writer that keeps what it was given, and fails while `failing` is set. */
const recordingWriter = () => {
  const written: PublicStatusDocument[] = [];
  const writer = {
    failing: false,
    write: async (document: PublicStatusDocument) => {
      if (writer.failing) throw new Error('AccessDenied');
      written.push(document);
    },
  };
  return { writer, written };
};

describe('the public wait, as a customer reads it', () => {
  it.each([
    [0, { estimate: 'under-a-minute' }],
    [59.9, { estimate: 'under-a-minute' }],
    [60, { estimate: 'minutes', minutes: 1 }],
    [61, { estimate: 'minutes', minutes: 2 }],
    [600, { estimate: 'minutes', minutes: 10 }],
    // Past ten minutes, steps of five, up: 12 minutes reads "about 15"
    [601, { estimate: 'minutes', minutes: 15 }],
    [720, { estimate: 'minutes', minutes: 15 }],
    [3599, { estimate: 'minutes', minutes: 60 }],
    // The expected wait's cap: no agent would ever take the call
    [3600, { estimate: 'over-an-hour' }],
    [Number.NaN, { estimate: 'unknown', reason: 'no-estimate' }],
  ])('%s s reads %o', (seconds, expected) => {
    expect(publicWait(seconds)).toEqual(expected);
  });
});

describe('the public status document', () => {
  it('says the phone wait and the NORMAL reply promise in Polish and English', () => {
    // Act
    const document = publicStatusDocument(reading(0, { waitSeconds: 700 }), SETTINGS, at(10));

    // Assess
    expect(document).toEqual({
      schemaVersion: 1,
      updatedAt: '2026-11-27T18:00:10.000Z',
      validUntil: '2026-11-27T19:00:10.000Z',
      maxAgeSeconds: 3600,
      channels: {
        phone: {
          state: 'NORMAL',
          wait: { estimate: 'minutes', minutes: 15 },
          text: {
            pl: 'Telefon: czas oczekiwania około 15 minut.',
            en: 'Phone: waiting time about 15 minutes.',
          },
        },
        messages: {
          replyWithinHours: 2,
          text: { pl: 'Wiadomości: odpowiadamy w ciągu 2 godzin.', en: 'Messages: we reply within 2 hours.' },
        },
      },
      text: {
        pl: 'Telefon: czas oczekiwania około 15 minut. Wiadomości: odpowiadamy w ciągu 2 godzin.',
        en: 'Phone: waiting time about 15 minutes. Messages: we reply within 2 hours.',
      },
    });
  });

  it.each([
    ['OVERFLOW', 4],
    ['DEFLECT', 24],
  ] as const)('promises sms.replyWithinHours.%s in that state', (state, hours) => {
    // Act
    const document = publicStatusDocument(reading(0, { state, waitSeconds: 400 }), SETTINGS, at(1));

    // Assess
    expect(document.channels.phone.state).toBe(state);
    expect(document.channels.messages.replyWithinHours).toBe(hours);
    expect(document.text.en).toBe(
      `Phone: waiting time about 7 minutes. Messages: we reply within ${hours} hours.`,
    );
  });

  it('uses the singular in both languages', () => {
    // Act
    const document = publicStatusDocument(
      reading(0, { waitSeconds: 45 + 15 }),
      { replyWithinHours: { NORMAL: 1, OVERFLOW: 4, DEFLECT: 24 } },
      at(1),
    );

    // Assess
    expect(document.text).toEqual({
      pl: 'Telefon: czas oczekiwania około minuty. Wiadomości: odpowiadamy w ciągu godziny.',
      en: 'Phone: waiting time about 1 minute. Messages: we reply within an hour.',
    });
  });

  it.each([
    ['no sample yet', undefined, 10, 'no-sample', 'UNKNOWN'],
    // 45 s is the state's maximum age: a reading that old is what every router takes as NORMAL
    ['a stale sample', reading(0, { waitSeconds: 10 }), 45, 'stale', 'UNKNOWN'],
    ['a sample from the future', reading(100, { waitSeconds: 10 }), 0, 'stale', 'UNKNOWN'],
    [
      'nobody logged in (the model says 0 s)',
      reading(0, { waitSeconds: 0, staffed: false }),
      5,
      'no-agents',
      'NORMAL',
    ],
    [
      'a queue judged on its oldest caller',
      reading(0, { waitSeconds: 5, expected: false }),
      5,
      'no-estimate',
      'NORMAL',
    ],
  ] as const)('on %s promises no short wait: unknown', (_, read, seconds, reason, state) => {
    // Act
    const document = publicStatusDocument(read, SETTINGS, at(seconds));

    // Assess
    expect(document.channels.phone.wait).toEqual({ estimate: 'unknown', reason });
    expect(document.channels.phone.state).toBe(state);
    expect(document.channels.phone.text.en).toBe('Phone: waiting time unknown right now.');
    expect(document.channels.phone.text.pl).toBe('Telefon: czas oczekiwania chwilowo nieznany.');
  });

  it('promises the longest reply time when the state is not known', () => {
    // Act
    const document = publicStatusDocument(reading(0, { state: 'NORMAL' }), SETTINGS, at(60));

    // Assess
    expect(document.channels.messages.replyWithinHours).toBe(24);
  });

  it('carries nothing but its own fields: no queue ids, no counts of callers, no names', () => {
    // Act
    const document = publicStatusDocument(
      reading(0, { state: 'DEFLECT', waitSeconds: 1900, contactsInQueue: 37, oldestContactAgeSeconds: 2000 }),
      SETTINGS,
      at(1),
    );

    // Assess
    const keys = (value: unknown): string[] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)])
        : [];
    expect([...new Set(keys(document))].sort()).toEqual(
      [
        'channels',
        'en',
        'estimate',
        'maxAgeSeconds',
        'messages',
        'minutes',
        'phone',
        'pl',
        'replyWithinHours',
        'schemaVersion',
        'state',
        'text',
        'updatedAt',
        'validUntil',
        'wait',
      ].sort(),
    );
    expect(JSON.stringify(document)).not.toMatch(/37|2000/);
  });
});

describe('publishing the document', () => {
  it('writes the first document, then nothing while it says the same', async () => {
    // Prepare
    const { writer, written } = recordingWriter();
    const publisher = new PublicStatusPublisher(writer, SETTINGS);

    // Act: an hour of samples every 15 s with the same wait
    const results = [];
    for (let s = 0; s < 25 * 60; s += 15) results.push(await publisher.publish([sample(reading(s))], at(s)));

    // Assess
    expect(written).toHaveLength(1);
    expect(results[0]).toMatchObject({ decision: 'first', written: true });
    expect(results.slice(1).every((r) => r.decision === 'unchanged' && !r.written)).toBe(true);
  });

  it('refreshes an unchanged document once less than half its validity is left', async () => {
    // Prepare
    const { writer, written } = recordingWriter();
    const publisher = new PublicStatusPublisher(writer, SETTINGS);
    await publisher.publish([sample(reading(0))], at(0));

    // Act
    const before = await publisher.publish([sample(reading(1799))], at(1799));
    const after = await publisher.publish([sample(reading(1801))], at(1801));

    // Assess
    expect(before.written).toBe(false);
    expect(after).toMatchObject({ decision: 'refresh', written: true });
    expect(written.map((d) => d.validUntil)).toEqual([
      '2026-11-27T19:00:00.000Z',
      '2026-11-27T19:30:01.000Z',
    ]);
  });

  it('publishes a state change and a longer wait at once, a shorter wait only after five minutes', async () => {
    // Prepare
    const { writer, written } = recordingWriter();
    const publisher = new PublicStatusPublisher(writer, SETTINGS);
    await publisher.publish([sample(reading(0, { waitSeconds: 30 }))], at(0));

    // Act
    const overflow = await publisher.publish(
      [sample(reading(15, { state: 'OVERFLOW', waitSeconds: 700 }))],
      at(15),
    );
    const longer = await publisher.publish(
      [sample(reading(30, { state: 'OVERFLOW', waitSeconds: 1300 }))],
      at(30),
    );
    const shorter = await publisher.publish(
      [sample(reading(45, { state: 'OVERFLOW', waitSeconds: 700 }))],
      at(45),
    );
    const later = await publisher.publish(
      [sample(reading(330, { state: 'OVERFLOW', waitSeconds: 700 }))],
      at(330),
    );

    // Assess
    expect([overflow.decision, longer.decision, shorter.decision, later.decision]).toEqual([
      'changed',
      'changed',
      'held',
      'shorter',
    ]);
    expect(written.map((d) => d.text.en)).toEqual([
      'Phone: waiting time under a minute. Messages: we reply within 2 hours.',
      'Phone: waiting time about 15 minutes. Messages: we reply within 4 hours.',
      'Phone: waiting time about 25 minutes. Messages: we reply within 4 hours.',
      'Phone: waiting time about 15 minutes. Messages: we reply within 4 hours.',
    ]);
  });

  it('says unknown at once when the controller stops confirming the phone queue', async () => {
    // Prepare
    const { writer, written } = recordingWriter();
    const publisher = new PublicStatusPublisher(writer, SETTINGS);
    await publisher.publish([sample(reading(0, { waitSeconds: 20 }))], at(0));

    // Act: runs whose samples are missing (no reading), 30 s and 60 s later
    const within = await publisher.publish([{ readings: {} }], at(30));
    const past = await publisher.publish([{ readings: {} }], at(60));

    // Assess
    expect(within.written).toBe(false);
    expect(past).toMatchObject({ decision: 'changed', written: true });
    expect(written.at(-1)?.channels.phone).toMatchObject({ state: 'UNKNOWN', wait: { reason: 'stale' } });
  });

  it('takes the newest reading of a run, whatever the order of its samples', async () => {
    // Prepare
    const { writer, written } = recordingWriter();
    const publisher = new PublicStatusPublisher(writer, SETTINGS);

    // Act
    await publisher.publish(
      [sample(reading(30, { waitSeconds: 200 })), sample(reading(15, { waitSeconds: 20 }))],
      at(31),
    );

    // Assess
    expect(written[0]?.channels.phone.wait).toEqual({ estimate: 'minutes', minutes: 4 });
  });

  it('reports a failed write without throwing, and writes it on the next publish', async () => {
    // Prepare
    const { writer, written } = recordingWriter();
    const publisher = new PublicStatusPublisher(writer, SETTINGS);
    writer.failing = true;

    // Act
    const failed = await publisher.publish([sample(reading(0))], at(0));
    writer.failing = false;
    const retried = await publisher.publish([sample(reading(15))], at(15));

    // Assess
    expect(failed).toMatchObject({ written: false, error: 'Error: AccessDenied' });
    expect(retried).toMatchObject({ decision: 'first', written: true });
    expect(written).toHaveLength(1);
  });
});
