import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeflectionAnswer } from '#functions/deflection-sms/answer.js';
import invocation from '#test/fixtures/connect/deflection-invocation.json' with { type: 'json' };
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import { sentMessages, sqsAccepts } from '#test/support/fake-aws-services.js';

/** SQS, as the function's signed JSON requests reach it. */
let sqs: FakeAwsJson;
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-deflection-sms';

const context = {
  functionName: 'peakline-test-deflection-sms',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 5_000,
} as unknown as Context;

/** Connect's invocation for caller `i` pressing 3. */
const caller = (i: number): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  (event.Details.ContactData as { ContactId: string }).ContactId = `contact-${i}`;
  (event.Details.ContactData.CustomerEndpoint as { Address: string }).Address =
    `+4860${String(1_000_000 + i).padStart(7, '0')}`;
  return event;
};

let handler: (event: ConnectContactFlowEvent, context: Context) => Promise<DeflectionAnswer>;

beforeAll(async () => {
  sqs = await fakeAwsJson();
  vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqs.url);
  vi.stubEnv('DEFLECTION_QUEUE_URL', QUEUE_URL);
  vi.stubEnv('CONTACT_CENTRE_TIME_ZONE', 'Europe/Warsaw');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-deflection-sms');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'peakline');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler } = await import('#functions/deflection-sms/handler.js'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await sqs.close();
});
beforeEach(() => {
  sqs.requests.length = 0;
  sqs.answer(sqsAccepts);
});

describe('the deflection SMS as Connect invokes it (issue 11, defect 7)', () => {
  it('tells the flow "no-number" for a caller who withheld their number, and queues nothing', async () => {
    // Prepare
    const event = caller(99);
    delete (event.Details.ContactData.CustomerEndpoint as { Address?: string }).Address;

    // Act
    const answer = await handler(event, context);

    // Assess
    expect(answer).toEqual({ sent: 'false', reason: 'no-number' });
    expect(sentMessages(sqs)).toHaveLength(0);
  });

  it('accepts a burst of callers pressing 3 at once: every request queued, none refused', async () => {
    // Prepare: the requests reach SQS over the network, so the invocations overlap
    const burst = Array.from({ length: 25 }, (_, i) => caller(i));

    // Act
    const answers = await Promise.all(burst.map((event) => handler(event, context)));

    // Assess
    expect(answers).toEqual(burst.map(() => ({ sent: 'true' })));
    const sent = sentMessages(sqs);
    expect(sent).toHaveLength(25);
    expect(sent.find((request) => String(request.MessageBody).includes('"contact-3"'))).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify({ contactId: 'contact-3', phone: '+48601000003', locale: 'pl-PL' }),
    });
  });

  it('queues nothing for a landline, and tells the flow so', async () => {
    // Prepare
    const event = caller(1);
    (event.Details.ContactData.CustomerEndpoint as { Address: string }).Address = '+48221234567';

    // Act
    const answer = await handler(event, context);

    // Assess
    expect(answer).toEqual({ sent: 'false', reason: 'not-mobile' });
    expect(sentMessages(sqs)).toHaveLength(0);
  });

  it('answers "not sent" when the queue refuses, so the caller keeps their place', async () => {
    // Prepare
    sqs.answer(() => awsError(500, 'InternalError', 'down'));

    // Act
    const answer = await handler(caller(2), context);

    // Assess: two tries, as the caller cannot wait for more
    expect(answer).toEqual({ sent: 'false', reason: 'error' });
    expect(sentMessages(sqs)).toHaveLength(2);
  });

  it('answers "not sent" when the body SQS acknowledges is not the one sent', async () => {
    // Prepare
    sqs.answer(() => ({ body: { MessageId: 'm-1', MD5OfMessageBody: '0'.repeat(32) } }));

    // Act
    const answer = await handler(caller(4), context);

    // Assess
    expect(answer).toEqual({ sent: 'false', reason: 'error' });
  });
});
