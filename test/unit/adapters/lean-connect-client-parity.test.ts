import { ConnectClient } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConnectCommand,
  type ConnectOperation,
  type ConnectSender,
  CreateUserCommand,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetCurrentMetricDataCommand,
  GetMetricDataV2Command,
  SearchQuickConnectsCommand,
  SearchUsersCommand,
  StartTaskContactCommand,
  UpdateUserRoutingProfileCommand,
} from '#adapters/connect/connect-commands.js';
import { CONNECT_OPERATIONS, LeanConnectClient } from '#adapters/connect/lean-connect-client.js';
import { isThrottling } from '#adapters/connect/retry.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';
import {
  type FakeRestJson,
  fakeRestJson,
  type RestAnswer,
  restJsonError,
} from '#test/support/fake-rest-json.js';

/**
 * The deployed functions' Connect client against the SDK's: the same commands sent through both to one
 * recording endpoint must arrive as the same requests, and the same answers must read back as the same
 * outputs and errors. If the SDK's model of an operation changes (a path, a timestamp member), this fails.
 */

const INSTANCE_ID = '5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77';
const USER_ID = '0d6b1d1e-2a9c-4c44-9f3e-6a1b7d5c2e10';
const QUEUE_ARN = `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}/queue/q-1`;
const credentials = { accessKeyId: 'AKIDPARITY', secretAccessKey: 'parity-secret' };

/** An epoch-seconds timestamp with milliseconds, as Connect answers one. */
const AT = 1_796_083_200.25;

interface Case {
  readonly command: ConnectCommand<object, object>;
  /** What Connect answers, on the wire. */
  readonly answer: Record<string, unknown>;
}

/** Every operation the adapters use, with inputs as they send them and answers as Connect gives them. */
const CASES: Record<ConnectOperation, Case> = {
  CreateUser: {
    command: new CreateUserCommand({
      InstanceId: INSTANCE_ID,
      Username: 'ada.lovelace@example.com',
      Password: 'Secret-1234-abcd',
      IdentityInfo: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
      SecurityProfileIds: ['sp-agent'],
      RoutingProfileId: 'rp-light',
      Tags: { 'peakline:managed': 'prod' },
    }),
    answer: {
      UserId: USER_ID,
      UserArn: `arn:aws:connect:eu-central-1:123456789012:instance/x/agent/${USER_ID}`,
    },
  },
  DeleteUser: { command: new DeleteUserCommand({ InstanceId: INSTANCE_ID, UserId: USER_ID }), answer: {} },
  DescribeUser: {
    // A label with characters that must be escaped in a path.
    command: new DescribeUserCommand({ InstanceId: INSTANCE_ID, UserId: "a user/with:odd!('chars')*" }),
    answer: {
      User: {
        Id: USER_ID,
        Username: 'ada.lovelace@example.com',
        Tags: { 'peakline:managed': 'prod' },
        IdentityInfo: { FirstName: 'Ada', LastName: 'Lovelace' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
        LastModifiedTime: AT,
      },
    },
  },
  SearchUsers: {
    command: new SearchUsersCommand({
      InstanceId: INSTANCE_ID,
      SearchCriteria: {
        StringCondition: {
          FieldName: 'Username',
          Value: 'ada.lovelace@example.com',
          ComparisonType: 'EXACT',
        },
      },
      MaxResults: 100,
      NextToken: 'page-2',
    }),
    answer: {
      Users: [{ Id: USER_ID, Username: 'ada.lovelace@example.com' }],
      NextToken: 'page-3',
      ApproximateTotalCount: 1,
    },
  },
  UpdateUserRoutingProfile: {
    command: new UpdateUserRoutingProfileCommand({
      InstanceId: INSTANCE_ID,
      UserId: USER_ID,
      RoutingProfileId: 'rp-full',
    }),
    answer: {},
  },
  StartTaskContact: {
    command: new StartTaskContactCommand({
      InstanceId: INSTANCE_ID,
      ContactFlowId: 'flow-task',
      Name: 'Callback: Ada',
      Description: 'Call Ada back about order 1042 …',
      Attributes: { peaklineQueueId: 'q-callback', orderId: '1042' },
      ClientToken: 'callback-1042',
    }),
    answer: { ContactId: 'contact-1' },
  },
  GetCurrentMetricData: {
    command: new GetCurrentMetricDataCommand({
      InstanceId: INSTANCE_ID,
      Filters: { Queues: ['q-1', QUEUE_ARN], Channels: ['VOICE', 'CHAT', 'TASK'] },
      Groupings: ['QUEUE', 'CHANNEL'],
      CurrentMetrics: [
        { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' },
        { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' },
      ],
      MaxResults: 100,
      NextToken: 'next',
    }),
    answer: {
      MetricResults: [
        {
          Dimensions: { Queue: { Id: 'q-1', Arn: QUEUE_ARN }, Channel: 'VOICE' },
          Collections: [
            { Metric: { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' }, Value: 7 },
            { Metric: { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' }, Value: 95.5 },
          ],
        },
      ],
      DataSnapshotTime: AT,
      ApproximateTotalCount: 1,
    },
  },
  GetMetricDataV2: {
    command: new GetMetricDataV2Command({
      ResourceArn: `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}`,
      // Milliseconds included: both send them as a fraction of a second.
      StartTime: new Date('2026-11-01T00:00:00.250Z'),
      EndTime: new Date('2026-11-30T23:00:00.000Z'),
      Interval: { TimeZone: 'Europe/Berlin', IntervalPeriod: 'DAY' },
      Filters: [
        { FilterKey: 'QUEUE', FilterValues: ['q-1'] },
        { FilterKey: 'CHANNEL', FilterValues: ['VOICE', 'CHAT', 'TASK'] },
      ],
      Groupings: ['QUEUE', 'CHANNEL'],
      Metrics: [
        { Name: 'CONTACTS_QUEUED' },
        { Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: 'LT', ThresholdValue: 20 }] },
      ],
      MaxResults: 100,
    }),
    answer: {
      MetricResults: [
        {
          Dimensions: { QUEUE: 'q-1', CHANNEL: 'VOICE' },
          MetricInterval: { Interval: 'DAY', StartTime: AT, EndTime: AT + 86_400 },
          Collections: [
            { Metric: { Name: 'CONTACTS_QUEUED' }, Value: 12 },
            {
              Metric: { Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: 'LT', ThresholdValue: 20 }] },
              Value: 83.3,
            },
          ],
        },
      ],
      NextToken: 'more',
    },
  },
  SearchQuickConnects: {
    command: new SearchQuickConnectsCommand({ InstanceId: INSTANCE_ID, MaxResults: 100 }),
    answer: {
      QuickConnects: [
        {
          QuickConnectId: 'qc-1',
          QuickConnectARN: `${QUEUE_ARN}/transfer-destination/qc-1`,
          Name: 'Ada',
          QuickConnectConfig: {
            QuickConnectType: 'USER',
            UserConfig: { UserId: USER_ID, ContactFlowId: 'flow-x' },
          },
          LastModifiedTime: AT,
        },
      ],
      ApproximateTotalCount: 1,
    },
  },
  DeleteQuickConnect: {
    command: new DeleteQuickConnectCommand({ InstanceId: INSTANCE_ID, QuickConnectId: 'qc-1' }),
    answer: {},
  },
};

let endpoint: FakeRestJson;
let sdkClient: ConnectClient;
let sdk: ConnectSender;
let lean: LeanConnectClient;

beforeAll(async () => {
  endpoint = await fakeRestJson();
  sdkClient = new ConnectClient({
    endpoint: endpoint.url,
    region: 'eu-central-1',
    credentials,
    maxAttempts: 1,
  });
  sdk = BridgedConnectSender.over(sdkClient);
  lean = new LeanConnectClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials });
});

afterAll(async () => {
  sdkClient.destroy();
  lean.destroy();
  await endpoint.close();
});

beforeEach(() => {
  endpoint.requests.length = 0;
});

/** Sends `command` through the SDK, then through the lean client, both answered `answer`. */
const throughBoth = async (command: ConnectCommand<object, object>, answer: RestAnswer) => {
  endpoint.answer(() => answer);
  const outcome = (sender: ConnectSender) =>
    sender.send(command).then(
      (output) => ({ output: withoutMetadata(output) }),
      (error: unknown) => ({ error }),
    );
  const viaSdk = await outcome(sdk);
  const viaLean = await outcome(lean);
  const [sdkRequest, leanRequest] = endpoint.requests.map(({ method, path, query, headers, body }) => ({
    method,
    path,
    query,
    contentType: headers['content-type'],
    body,
  }));
  return { viaSdk, viaLean, sdkRequest, leanRequest };
};

const withoutMetadata = (output: object): object => {
  const { $metadata: _, ...members } = output as { $metadata?: unknown };
  return members;
};

describe('LeanConnectClient against the SDK ConnectClient, on one endpoint', () => {
  it('has a case here for every operation it knows', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(CONNECT_OPERATIONS).sort());
  });

  it.each(Object.entries(CASES))(
    '%s: the same request, the same output read back',
    async (_, { command, answer }) => {
      // Act
      const { viaSdk, viaLean, sdkRequest, leanRequest } = await throughBoth(command, { body: answer });

      // Assess
      expect(sdkRequest).toBeDefined();
      expect(leanRequest).toEqual(sdkRequest);
      expect(viaLean).toEqual(viaSdk);
      expect('output' in viaSdk).toBe(true);
    },
  );

  it('sends the timestamps GetMetricDataV2 takes as epoch seconds, and reads its intervals back as Dates', async () => {
    // Act
    const { viaSdk, viaLean, leanRequest } = await throughBoth(CASES.GetMetricDataV2.command, {
      body: CASES.GetMetricDataV2.answer,
    });

    // Assess
    expect(leanRequest?.body).toMatchObject({ StartTime: 1_793_491_200.25, EndTime: 1_796_079_600 });
    for (const via of [viaSdk, viaLean]) {
      const [row] = (
        via as { output: { MetricResults: { MetricInterval: { StartTime: Date; EndTime: Date } }[] } }
      ).output.MetricResults;
      expect(row?.MetricInterval.StartTime).toEqual(new Date(AT * 1000));
      expect(row?.MetricInterval.EndTime).toEqual(new Date((AT + 86_400) * 1000));
    }
  });

  it('reads the snapshot time of GetCurrentMetricData and a quick connect change time as Dates', async () => {
    for (const operation of ['GetCurrentMetricData', 'SearchQuickConnects', 'DescribeUser'] as const) {
      // Act
      const { viaLean } = await throughBoth(CASES[operation].command, { body: CASES[operation].answer });

      // Assess
      const output = (viaLean as { output: Record<string, unknown> }).output;
      const at =
        operation === 'GetCurrentMetricData'
          ? output.DataSnapshotTime
          : operation === 'DescribeUser'
            ? (output.User as { LastModifiedTime: unknown }).LastModifiedTime
            : (output.QuickConnects as { LastModifiedTime: unknown }[])[0]?.LastModifiedTime;
      expect(at).toEqual(new Date(AT * 1000));
    }
  });

  it('fills a StartTaskContact without a client token with a fresh one, as the SDK does', async () => {
    // Prepare
    const { ClientToken: _, ...withoutToken } = (CASES.StartTaskContact.command as StartTaskContactCommand)
      .input;

    // Act
    const { sdkRequest, leanRequest } = await throughBoth(new StartTaskContactCommand(withoutToken), {
      body: { ContactId: 'contact-2' },
    });

    // Assess
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const request of [sdkRequest, leanRequest]) {
      expect((request?.body as { ClientToken?: string }).ClientToken).toMatch(uuid);
    }
    const rest = (request: typeof sdkRequest) => {
      const { ClientToken: __, ...others } = request?.body as Record<string, unknown>;
      return others;
    };
    expect(rest(leanRequest)).toEqual(rest(sdkRequest));
  });

  it.each([
    [429, 'TooManyRequestsException', 'Rate exceeded'],
    [404, 'ResourceNotFoundException', 'User not found'],
    [400, 'InvalidParameterException', 'Name is too long'],
    [500, 'InternalServiceException', 'Internal error'],
  ])('raises %i %s as the SDK does: name, status, fault, message', async (status, code, message) => {
    // Act
    const { viaSdk, viaLean } = await throughBoth(
      CASES.StartTaskContact.command,
      restJsonError(status, code, message),
    );

    // Assess
    const described = (via: { error?: unknown }) => {
      const error = via.error as {
        name: string;
        message: string;
        $fault: string;
        $metadata: { httpStatusCode?: number };
      };
      return {
        name: error.name,
        message: error.message,
        fault: error.$fault,
        status: error.$metadata.httpStatusCode,
        // What the adapters' retries (retry.ts) and the callback sweep read of it.
        throttling: isThrottling(error),
        refusedBeforeActing: error.$fault === 'client',
      };
    };
    expect(described(viaLean as { error?: unknown })).toEqual(described(viaSdk as { error?: unknown }));
    expect(described(viaLean as { error?: unknown })).toMatchObject({ name: code, status, message });
  });

  it('tells the error by its body when the header is missing, as the SDK does', async () => {
    // Act
    const { viaSdk, viaLean } = await throughBoth(CASES.DeleteUser.command, {
      status: 429,
      body: { __type: 'com.amazonaws.connect#ThrottlingException', message: 'slow down' },
    });

    // Assess
    const name = (via: object) => ((via as { error?: { name?: string } }).error ?? {}).name;
    expect(name(viaLean)).toBe('ThrottlingException');
    expect(name(viaLean)).toBe(name(viaSdk));
  });
});

describe('an answer that is not JSON', () => {
  it('is, through both, an error the callback sweep does not take for a refusal (Connect may have acted)', async () => {
    // Prepare
    endpoint.requests.length = 0;
    endpoint.answer(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      text: '<html>oops</html>',
    }));
    const refusal = async (sender: ConnectSender) => {
      const error = (await sender.send(CASES.StartTaskContact.command).then(
        () => undefined,
        (e: unknown) => e,
      )) as { $fault?: string; $metadata?: { httpStatusCode?: number } } | undefined;
      const status = Number(error?.$metadata?.httpStatusCode ?? 0);
      return {
        failed: error !== undefined,
        refused: error?.$fault === 'client' || (status >= 400 && status < 500),
      };
    };

    // Act
    const viaSdk = await refusal(sdk);
    const viaLean = await refusal(lean);

    // Assess
    expect(viaLean).toEqual(viaSdk);
    expect(viaLean).toEqual({ failed: true, refused: false });
  });
});
