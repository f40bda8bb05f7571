import { describe, expect, it } from 'vitest';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { type OutgoingSms, SmsRetryableError } from '#core/ports.js';
import {
  FAULT_SERVICES,
  FaultInjector,
  FaultSpecError,
  formatFaultRates,
  parseFaultSpec,
} from '#local/faults/fault-plan.js';
import {
  type AcceptedSms,
  faultyContactCentre,
  localPutEvents,
  localSnsPublish,
  withSmsContext,
} from '#local/faults/stand-ins.js';
import { PutEventsRequestError } from '#local/bus/put-events.js';
import { createContactCentre } from '#simulator/contact-centre.js';

const sms: OutgoingSms = {
  to: '+48601234567',
  body: 'Zamówienie PL-1 przyjęte',
  kind: 'order-placed',
  segments: 1,
  encoding: 'UCS-2',
  orderId: 'PL-1',
};

/** An injector that fails every call of `service`, in kinds drawn from its seed. */
const always = (service: 'sns' | 'events' | 'connect' | 'dynamodb', rate = 1) =>
  new FaultInjector({ [service]: rate }, 7);

describe('--faults', () => {
  it('reads each service and its share of failing calls', () => {
    expect(parseFaultSpec('sns=0.3,events=0.3,connect=0.3,dynamodb=0.05')).toEqual({
      sns: 0.3,
      events: 0.3,
      connect: 0.3,
      dynamodb: 0.05,
    });
    expect(parseFaultSpec(' dynamodb = 1 , sns=0 ')).toEqual({ dynamodb: 1, sns: 0 });
  });

  it.each([
    ['sns=2', 'sns=2: the share of calls that fail must be between 0 and 1'],
    ['sns=-0.1', 'between 0 and 1'],
    ['sns=abc', 'between 0 and 1'],
    ['foo=0.1', 'unknown service "foo": expected one of sns, events, connect, dynamodb'],
    ['sns', '"sns" is not service=share'],
    ['sns=0.1,sns=0.2', 'sns is given twice'],
    ['', 'expected service=share pairs'],
  ])('refuses %j with a reason', (text, reason) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(reason);
  });

  it('prints the rates as they were given, services without faults left out', () => {
    expect(formatFaultRates(parseFaultSpec('sns=0.3,dynamodb=0.05,events=0'))).toBe('sns=0.3,dynamodb=0.05');
    expect(formatFaultRates({})).toBe('none');
  });
});

describe('the fault injector', () => {
  it('fails about the share asked, in the three kinds, and counts every call and fault', () => {
    // Prepare
    const faults = new FaultInjector({ sns: 0.3 }, 42);

    // Act
    for (let i = 0; i < 10_000; i++) faults.draw('sns');
    for (let i = 0; i < 1_000; i++) faults.draw('dynamodb');

    // Assess
    const { services, injected } = faults.snapshot();
    const sns = services.sns;
    const failed = sns.throttling + sns['server-error'] + sns['acted-then-timeout'];
    expect(sns.calls).toBe(10_000);
    expect(failed / sns.calls).toBeGreaterThan(0.27);
    expect(failed / sns.calls).toBeLessThan(0.33);
    for (const kind of ['throttling', 'server-error', 'acted-then-timeout'] as const) {
      expect(sns[kind]).toBeGreaterThan(800);
    }
    expect(services.dynamodb).toEqual({
      calls: 1_000,
      throttling: 0,
      'server-error': 0,
      'acted-then-timeout': 0,
    });
    expect(injected).toBe(failed);
  });

  it('replays the same faults from the same seed, and others from another seed', () => {
    const draws = (seed: number) => {
      const faults = new FaultInjector({ sns: 0.5, connect: 0.5 }, seed);
      return Array.from({ length: 200 }, (_, i) => faults.draw(i % 2 ? 'sns' : 'connect') ?? '-').join(',');
    };
    expect(draws(3)).toBe(draws(3));
    expect(draws(3)).not.toBe(draws(4));
  });

  it('injects nothing without rates', () => {
    const faults = new FaultInjector({}, 1);
    expect(faults.enabled).toBe(false);
    for (const service of FAULT_SERVICES) expect(faults.draw(service)).toBeUndefined();
  });
});

describe('the SNS stand-in behind the production SNS adapter', () => {
  const sender = (faults: FaultInjector, accepted: AcceptedSms[]) => {
    const publish = localSnsPublish({ faults, accept: (a) => accepted.push(a) });
    const adapter = new SnsSmsSender(publish, { senderId: 'PeakShop', partsPerSecond: 1_000_000 });
    return { publish, send: (s: OutgoingSms) => withSmsContext(s, () => adapter.send(s)) };
  };

  it('accepts a message into the outbox with its message id and the SMS it carries', async () => {
    // Prepare
    const accepted: AcceptedSms[] = [];
    const { send } = sender(new FaultInjector({}), accepted);

    // Act
    const { messageId } = await send(sms);

    // Assess
    expect(accepted).toEqual([
      expect.objectContaining({
        messageId,
        sms,
        input: expect.objectContaining({ PhoneNumber: sms.to, Message: sms.body }),
      }),
    ]);
    expect(accepted[0]?.answeredWith).toBeUndefined();
  });

  it('a throttled or failed Publish sends nothing and is a "retry later" for the adapter', async () => {
    // Prepare: every call fails; the kinds are drawn, so try until both refusals have been seen.
    const accepted: AcceptedSms[] = [];
    const faults = always('sns');
    const { send } = sender(faults, accepted);
    const errors: unknown[] = [];

    // Act
    for (let i = 0; i < 30; i++) await send(sms).catch((error: unknown) => errors.push(error));

    // Assess
    const { sns } = faults.snapshot().services;
    expect(sns.throttling).toBeGreaterThan(0);
    expect(sns['server-error']).toBeGreaterThan(0);
    // Every call failed for the caller; a throttled one is a "retry later" (a 5xx may or may not be, as
    // SNS may have taken the message: that is the adapter's call).
    expect(errors).toHaveLength(30);
    expect(errors.filter((e) => e instanceof SmsRetryableError).length).toBeGreaterThanOrEqual(
      sns.throttling,
    );
    // Only the calls that acted reached a phone, and each is in the outbox with the error its caller saw.
    expect(accepted).toHaveLength(sns['acted-then-timeout']);
    expect(accepted.every((a) => a.answeredWith === 'TimeoutError')).toBe(true);
  });

  it('never retries a Publish by itself: one failed call is one attempt', async () => {
    const accepted: AcceptedSms[] = [];
    const faults = always('sns');
    const { publish } = sender(faults, accepted);
    await publish({ PhoneNumber: sms.to, Message: 'x' }).catch(() => undefined);
    expect(faults.snapshot().services.sns.calls).toBe(1);
  });
});

describe('the EventBridge stand-in behind the production publisher', () => {
  it(
    'puts the fact on the bus, retries a refusal as the functions do on AWS, and a timeout after acting puts it twice',
    { timeout: 30_000 },
    async () => {
      // Prepare
      const put: unknown[] = [];
      const faults = new FaultInjector({ events: 0.5 }, 11);
      const putEvents = localPutEvents({
        faults,
        speed: 1_000,
        putEvents: async (input) => {
          put.push(input);
          return { FailedEntryCount: 0, Entries: [{ EventId: `e-${put.length}` }] };
        },
      });
      const publisher = new EventBridgePublisher(putEvents, 'peakline');

      // Act
      let failures = 0;
      for (let i = 0; i < 100; i++) await publisher.publish('SmsSent', { i }).catch(() => (failures += 1));

      // Assess: every call the stand-in got is counted; the retries made most publishes succeed; a
      // timeout after acting put the same fact again on the retry.
      const { events } = faults.snapshot().services;
      expect(events.calls).toBeGreaterThan(100);
      expect(failures).toBeLessThan(30);
      expect(put.length).toBe(events.calls - events.throttling - events['server-error']);
      expect(put.length).toBeGreaterThan(100 - failures);
    },
  );

  it('answers PutEvents with the bus response when no fault is drawn', async () => {
    const putEvents = localPutEvents({
      faults: new FaultInjector({}),
      speed: 60,
      putEvents: async () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }),
    });
    const result = await putEvents({
      Entries: [{ Source: 'peakline', DetailType: 'X', Detail: '{}', EventBusName: 'peakline' }],
    });
    expect(result.Entries).toEqual([{ EventId: 'e-1' }]);
  });

  it('does not retry a request the bus refuses as a whole, and names its error as EventBridge does', async () => {
    // Prepare
    let calls = 0;
    const putEvents = localPutEvents({
      faults: new FaultInjector({}),
      speed: 60,
      putEvents: async () => {
        calls += 1;
        throw new PutEventsRequestError('ValidationException', '1 validation error detected');
      },
    });

    // Act
    const result = putEvents({ Entries: [] });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ValidationException', statusCode: 400 });
    expect(calls).toBe(1);
  });

  it('gives up after three attempts when every one fails, with the error of the last', async () => {
    // Prepare
    const faults = always('events');
    const putEvents = localPutEvents({
      faults,
      speed: 1_000,
      putEvents: async () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }),
    });

    // Act
    const error: unknown = await new EventBridgePublisher(putEvents, 'peakline')
      .publish('SmsSent', {})
      .catch((caught: unknown) => caught);

    // Assess
    expect(faults.snapshot().services.events.calls).toBe(3);
    expect((error as Error).name).toMatch(/^(ThrottlingException|InternalException|TimeoutError)$/);
  });
});

describe('Connect faults at the ContactCentre port', () => {
  it('throws what Connect throws, and a timeout after acting leaves the task created', async () => {
    // Prepare
    const simulator = createContactCentre(Date.parse('2026-11-27T10:00:00Z'));
    const faults = always('connect');
    const centre = faultyContactCentre(simulator, faults);
    const names: string[] = [];

    // Act
    for (let i = 0; i < 30; i++) {
      await centre
        .startTask({
          queueId: 'accounting',
          name: `t${i}`,
          description: 'd',
          attributes: {},
          clientToken: `token-${i}`,
        })
        .catch((error: Error) => names.push(error.name));
    }

    // Assess
    const { connect } = faults.snapshot().services;
    expect(names).toHaveLength(30);
    expect(names.filter((n) => n === 'ThrottlingException')).toHaveLength(connect.throttling);
    expect(names.filter((n) => n === 'InternalServiceException')).toHaveLength(connect['server-error']);
    expect(names.filter((n) => n === 'TimeoutError')).toHaveLength(connect['acted-then-timeout']);
    expect(connect['acted-then-timeout']).toBeGreaterThan(0);
    const accounting = simulator.snapshot().queues.find((q) => q.id === 'accounting');
    expect(accounting?.byChannel.TASK.waiting).toBe(connect['acted-then-timeout']);
  });
});
