import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { eventBridgeJsonClient, putEventsOver } from '#adapters/eventbridge/lean-put-events.js';
import { sdkPutEvents } from '#adapters/eventbridge/sdk-put-events.js';
import type { AwsJsonClient } from '#adapters/signed-json/aws-json-client.js';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import { busAccepts } from '#test/support/fake-aws-services.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
const DETAIL = { orderId: 'PL-1', kind: 'order-placed', parts: 1 };

/** The entry peakline has always put for a fact: its source, the type, the detail as JSON, its bus. */
const ENTRY = {
  Source: 'peakline',
  DetailType: 'SmsSent',
  Detail: JSON.stringify(DETAIL),
  EventBusName: 'peakline-dev',
};

describe('EventBridgePublisher on the signed JSON request (what the functions deploy)', () => {
  let fake: FakeAwsJson;
  let client: AwsJsonClient;

  beforeEach(async () => {
    fake = await fakeAwsJson();
    fake.answer(busAccepts);
    client = eventBridgeJsonClient({ region: 'eu-central-1', endpoint: fake.url, credentials: CREDENTIALS });
  });

  afterEach(async () => {
    client.destroy();
    vi.unstubAllEnvs();
    await fake.close();
  });

  it('puts a fact as one PutEvents request of AWS JSON 1.1, signed for events in the region', async () => {
    // Prepare
    const publisher = new EventBridgePublisher(putEventsOver(client), 'peakline-dev');

    // Act
    await publisher.publish('SmsSent', DETAIL);

    // Assess
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/events\/aws4_request, /,
    );
    expect(request?.headers['x-amz-security-token']).toBe('session-token');
    expect(request?.body).toEqual({ Entries: [ENTRY] });
  });

  it('throws a refused entry as an error with its code and message, without putting it again', async () => {
    // Prepare: EventBridge answers 200 and refuses the entry itself.
    fake.answer(() => ({
      body: {
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error' }],
      },
    }));
    const publisher = new EventBridgePublisher(putEventsOver(client), 'peakline-dev');

    // Act
    const publishing = publisher.publish('SmsSent', DETAIL);

    // Assess
    await expect(publishing).rejects.toThrow(
      'EventBridge refused SmsSent: InternalFailure Internal service error',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['a 5xx', 3, awsError(500, 'InternalException', 'Internal error')],
    ['throttling', 3, awsError(400, 'ThrottlingException', 'Rate exceeded')],
    ['a refused request', 1, awsError(400, 'AccessDeniedException', 'not authorized')],
  ])(
    'after %s: tries %i time(s) in all, as the SDK did, and throws its code',
    async (_, attempts, answer) => {
      // Prepare
      fake.answer(() => answer);
      const publisher = new EventBridgePublisher(putEventsOver(client), 'peakline-dev');

      // Act
      const publishing = publisher.publish('SmsSent', DETAIL);

      // Assess
      const code = (answer as { body: { __type: string } }).body.__type.split('#')[1];
      await expect(publishing).rejects.toMatchObject({ name: code });
      expect(fake.requests).toHaveLength(attempts);
    },
  );

  it('finds EventBridge through AWS_ENDPOINT_URL_EVENTBRIDGE before AWS_ENDPOINT_URL, as the SDK does', async () => {
    // Prepare: the deployed functions' shared client, built from the environment at its first use.
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', fake.url);
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    const { getPutEvents } = await import('#adapters/eventbridge/shared-put-events.js');

    // Act
    await new EventBridgePublisher(getPutEvents(), 'peakline-dev').publish('SmsSent', DETAIL);

    // Assess
    expect(fake.requests.map((request) => request.body)).toEqual([{ Entries: [ENTRY] }]);
  });
});

describe('EventBridgePublisher on the SDK client (what the CLIs use)', () => {
  const sdk = mockClient(EventBridgeClient);

  afterEach(() => {
    sdk.reset();
  });

  it('sends the same entry as a PutEventsCommand', async () => {
    // Prepare
    sdk.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const publisher = new EventBridgePublisher(sdkPutEvents(new EventBridgeClient({})), 'peakline-dev');

    // Act
    await publisher.publish('SmsSent', DETAIL);

    // Assess
    expect(sdk.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      { Entries: [ENTRY] },
    ]);
  });

  it('throws a refused entry as an error with its code and message', async () => {
    // Prepare
    sdk.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
    });
    const publisher = new EventBridgePublisher(sdkPutEvents(new EventBridgeClient({})), 'peakline-dev');

    // Act
    const publishing = publisher.publish('SmsSent', DETAIL);

    // Assess
    await expect(publishing).rejects.toThrow(
      'EventBridge refused SmsSent: MalformedDetail Detail is malformed.',
    );
  });

  it('puts many facts 10 to a PutEvents call, in order, and says per fact that the bus took it', async () => {
    // Prepare: a batch's 12 outcomes.
    const facts = Array.from({ length: 12 }, (_, i) => ({
      detailType: 'SmsSent',
      detail: { ...DETAIL, orderId: `PL-${i}` },
    }));
    sdk.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })),
    }));
    const publisher = new EventBridgePublisher(sdkPutEvents(new EventBridgeClient({})), 'peakline-dev');

    // Act
    const taken = await publisher.publishAll(facts);

    // Assess
    const entry = (i: number) => ({ ...ENTRY, Detail: JSON.stringify({ ...DETAIL, orderId: `PL-${i}` }) });
    expect(sdk.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      { Entries: Array.from({ length: 10 }, (_, i) => entry(i)) },
      { Entries: [entry(10), entry(11)] },
    ]);
    expect(taken).toEqual(Array.from({ length: 12 }, () => true));
  });

  it('says which facts the bus refused, and counts a call that failed whole as not taken, the other call still made', async () => {
    // Prepare: the first call refuses its second entry; the second call fails (its answer lost).
    const facts = Array.from({ length: 11 }, (_, i) => ({
      detailType: 'SmsSent',
      detail: { ...DETAIL, orderId: `PL-${i}` },
    }));
    sdk
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: Array.from({ length: 10 }, (_, i) =>
          i === 1
            ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error' }
            : { EventId: `e-${i}` },
        ),
      })
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const publisher = new EventBridgePublisher(sdkPutEvents(new EventBridgeClient({})), 'peakline-dev');

    // Act
    const taken = await publisher.publishAll(facts);

    // Assess
    expect(taken).toEqual([true, false, true, true, true, true, true, true, true, true, false]);
    expect(sdk.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});
