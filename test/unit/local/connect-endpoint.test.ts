import type { Server } from 'node:http';
import {
  ConnectClient,
  CreateUserCommand,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  DuplicateResourceException,
  InvalidParameterException,
  ListQueuesCommand,
  ResourceNotFoundException,
  SearchQuickConnectsCommand,
  SearchUsersCommand,
  UpdateUserRoutingProfileCommand,
} from '@aws-sdk/client-connect';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectContactCentre } from '#adapters/connect/contact-centre.js';
import type { NewUser } from '#core/ports.js';
import type { ConnectSimulator } from '#simulator/connect/index.js';
import { createContactCentre, LOCAL_MANAGED_USER_TAG } from '#simulator/contact-centre.js';
import { LOCAL_CONNECT_INSTANCE_ID } from '#local/http/connect-endpoint.js';
import { createEventsEndpoint } from '#local/http/events-endpoint.js';
import { close, listen } from '#local/http/listen.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const START = Date.parse('2026-11-27T17:00:00Z');
const PASSWORD = 'Local-Passw0rd';

const ada: NewUser = {
  username: 'ada.lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  routingProfileId: 'chat4',
  securityProfileIds: ['agent'],
};

const newUser = (username: string, overrides: Record<string, unknown> = {}) =>
  new CreateUserCommand({
    InstanceId: LOCAL_CONNECT_INSTANCE_ID,
    Username: username,
    Password: PASSWORD,
    IdentityInfo: { FirstName: 'Seasonal', LastName: username },
    PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
    SecurityProfileIds: ['lightAgent'],
    RoutingProfileId: 'light',
    // As the seats CLI creates them: the local stack deletes only users so tagged.
    Tags: { [LOCAL_MANAGED_USER_TAG.key]: LOCAL_MANAGED_USER_TAG.value },
    ...overrides,
  });

/** What the SDK raised: its class, Connect's exception name and the message. */
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
};

describe('the local Connect endpoint', () => {
  let simulator: ConnectSimulator;
  let server: Server;
  let url: string;
  let client: ConnectClient;
  let adapter: ConnectContactCentre;

  const users = () => simulator.snapshot().agents;

  beforeEach(async () => {
    // Prepare: the endpoint as the local stack runs it, the SDK and the adapter as the ops CLI builds them.
    simulator = createContactCentre(START);
    server = createEventsEndpoint({
      putEvents: async (request) => ({
        FailedEntryCount: 0,
        Entries: ((request as { Entries?: unknown[] }).Entries ?? []).map((_, i) => ({
          EventId: `event-${i + 1}`,
        })),
      }),
      contactCentre: simulator,
    });
    url = `http://127.0.0.1:${await listen(server, 0, 'the test endpoint', '--port')}`;
    client = new ConnectClient({ endpoint: url, region: 'eu-central-1', credentials, maxAttempts: 1 });
    adapter = new ConnectContactCentre(BridgedConnectSender.over(client), {
      instanceId: LOCAL_CONNECT_INSTANCE_ID,
      taskContactFlowId: 'task-flow',
      // The pacing is the adapter's concern; here it would only slow the tests down.
      callsPerSecond: 1000,
      managedUserTag: LOCAL_MANAGED_USER_TAG,
    });
  });

  afterEach(async () => {
    client.destroy();
    await close(server);
  });

  describe('through the ConnectContactCentre adapter', () => {
    it('creates a user the simulator then has, with the profiles asked for', async () => {
      // Act
      const { userId } = await adapter.createUser(ada);

      // Assess
      expect(users()).toEqual([
        expect.objectContaining({
          userId,
          username: 'ada.lovelace',
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@example.com',
          routingProfileId: 'chat4',
          securityProfileIds: ['agent'],
          state: 'OFFLINE',
        }),
      ]);
    });

    it('answers a username already taken with the existing user, creating nothing', async () => {
      // Prepare
      const first = await adapter.createUser(ada);

      // Act
      const second = await adapter.createUser({ ...ada, firstName: 'Augusta' });

      // Assess
      expect(second.userId).toBe(first.userId);
      expect(users().map((u) => [u.userId, u.firstName])).toEqual([[first.userId, 'Ada']]);
    });

    it('moves a user to another routing profile', async () => {
      // Prepare
      const { userId } = await adapter.createUser(ada);

      // Act
      await adapter.updateUserRoutingProfile(userId, 'voice');

      // Assess
      expect(users().find((u) => u.userId === userId)?.routingProfileId).toBe('voice');
    });

    it('deletes a user, and deleting them again is fine', async () => {
      // Prepare
      const { userId } = await adapter.createUser(ada);

      // Act
      await adapter.deleteUser(userId);
      await adapter.deleteUser(userId);

      // Assess
      expect(users()).toEqual([]);
    });

    it('passes the simulator refusing a routing profile on as its Connect exception', async () => {
      // Act
      const error = await failure(adapter.createUser({ ...ada, routingProfileId: 'night-shift' }));

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toContain('night-shift');
      expect(users()).toEqual([]);
    });
  });

  describe('to the SDK', () => {
    it('describes a user as CreateUser made them', async () => {
      // Prepare
      const { UserId, UserArn } = await client.send(newUser('seasonal-1'));

      // Act
      const { User } = await client.send(
        new DescribeUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId }),
      );

      // Assess
      expect(UserArn).toBe(
        `arn:aws:connect:eu-central-1:000000000000:instance/${LOCAL_CONNECT_INSTANCE_ID}/agent/${UserId}`,
      );
      expect(User).toMatchObject({
        Id: UserId,
        Arn: UserArn,
        Username: 'seasonal-1',
        IdentityInfo: { FirstName: 'Seasonal', LastName: 'seasonal-1' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
        SecurityProfileIds: ['lightAgent'],
        RoutingProfileId: 'light',
      });
    });

    it('refuses a duplicate username with DuplicateResourceException (409)', async () => {
      // Prepare
      await client.send(newUser('seasonal-1'));

      // Act
      const error = await failure(client.send(newUser('seasonal-1')));

      // Assess
      expect(error).toBeInstanceOf(DuplicateResourceException);
      expect(error.$metadata?.httpStatusCode).toBe(409);
      expect(error.message).toContain('seasonal-1');
    });

    it('refuses CreateUser without a password, as a Connect-managed instance does', async () => {
      // Act
      const error = await failure(client.send(newUser('seasonal-1', { Password: undefined })));

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toContain('Password');
      expect(users()).toEqual([]);
    });

    it('refuses a request missing a required member with InvalidParameterException', async () => {
      // Act
      const error = await failure(client.send(newUser('seasonal-1', { RoutingProfileId: undefined })));

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toContain('RoutingProfileId');
    });

    it('finds a user by exact username, and not by a username that only starts the same', async () => {
      // Prepare
      await client.send(newUser('seasonal-1'));
      const { UserId } = await client.send(newUser('seasonal-12'));
      const search = (value: string, comparison: 'EXACT' | 'STARTS_WITH') =>
        client.send(
          new SearchUsersCommand({
            InstanceId: LOCAL_CONNECT_INSTANCE_ID,
            SearchCriteria: {
              StringCondition: { FieldName: 'Username', Value: value, ComparisonType: comparison },
            },
          }),
        );

      // Act
      const exact = await search('seasonal-12', 'EXACT');
      const none = await search('seasonal-', 'EXACT');
      const prefix = await search('seasonal-', 'STARTS_WITH');

      // Assess
      expect(exact.Users).toEqual([
        expect.objectContaining({ Id: UserId, Username: 'seasonal-12', RoutingProfileId: 'light' }),
      ]);
      expect(exact.ApproximateTotalCount).toBe(1);
      expect(none.Users).toEqual([]);
      expect(prefix.Users?.map((u) => u.Username)).toEqual(['seasonal-1', 'seasonal-12']);
    });

    it('refuses a search by a field it cannot search, even with nobody to search', async () => {
      // Act
      const error = await failure(
        client.send(
          new SearchUsersCommand({
            InstanceId: LOCAL_CONNECT_INSTANCE_ID,
            SearchCriteria: {
              StringCondition: { FieldName: 'Email', Value: 'ada@example.com', ComparisonType: 'EXACT' },
            },
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toContain('"Email" is not searchable');
    });

    it('lists every user without criteria, page by page', async () => {
      // Prepare
      for (let n = 1; n <= 5; n += 1) await client.send(newUser(`seasonal-${n}`));
      await adapter.deleteUser(users()[1]?.userId ?? '');

      // Act
      const names: string[] = [];
      let pages = 0;
      let token: string | undefined;
      do {
        const page = await client.send(
          new SearchUsersCommand({
            InstanceId: LOCAL_CONNECT_INSTANCE_ID,
            MaxResults: 2,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        );
        names.push(...(page.Users ?? []).map((u) => u.Username ?? ''));
        pages += 1;
        token = page.NextToken;
      } while (token !== undefined);

      // Assess
      expect(names).toEqual(['seasonal-1', 'seasonal-3', 'seasonal-4', 'seasonal-5']);
      expect(pages).toBe(2);
    });

    it('answers a user already deleted with ResourceNotFoundException (404)', async () => {
      // Prepare
      const { UserId } = await client.send(newUser('seasonal-1'));
      await client.send(new DeleteUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId }));

      // Act
      const deleteAgain = await failure(
        client.send(new DeleteUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId })),
      );
      const describe = await failure(
        client.send(new DescribeUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId })),
      );
      const update = await failure(
        client.send(
          new UpdateUserRoutingProfileCommand({
            InstanceId: LOCAL_CONNECT_INSTANCE_ID,
            UserId,
            RoutingProfileId: 'voice',
          }),
        ),
      );

      // Assess
      for (const error of [deleteAgain, describe, update]) {
        expect(error).toBeInstanceOf(ResourceNotFoundException);
        expect(error.$metadata?.httpStatusCode).toBe(404);
      }
    });

    it('keeps the tags CreateUser was given, and refuses to delete an untagged user as IAM would (403)', async () => {
      // Prepare
      const { UserId: tagged } = await client.send(newUser('seasonal-1'));
      const { UserId: untagged } = await client.send(newUser('permanent-1', { Tags: { team: 'support' } }));

      // Act
      const { User } = await client.send(
        new DescribeUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId: tagged }),
      );
      const refused = await failure(
        client.send(new DeleteUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId: untagged })),
      );

      // Assess
      expect(User?.Tags).toEqual({ 'peakline:managed': 'local' });
      expect(refused.name).toBe('AccessDeniedException');
      expect(refused.$metadata?.httpStatusCode).toBe(403);
      expect(users().map((u) => u.username)).toContain('permanent-1');
    });

    it('knows no quick connects', async () => {
      // Act
      const search = await client.send(
        new SearchQuickConnectsCommand({
          InstanceId: LOCAL_CONNECT_INSTANCE_ID,
          SearchCriteria: {
            StringCondition: { FieldName: 'name', Value: 'seasonal-1', ComparisonType: 'EXACT' },
          },
        }),
      );
      const deletion = await failure(
        client.send(
          new DeleteQuickConnectCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, QuickConnectId: 'qc-1' }),
        ),
      );

      // Assess
      expect(search.QuickConnects).toEqual([]);
      expect(search.ApproximateTotalCount).toBe(0);
      expect(deletion).toBeInstanceOf(ResourceNotFoundException);
    });

    it('answers any other instance with ResourceNotFoundException', async () => {
      // Prepare
      const other = '11111111-2222-4333-8444-555555555555';

      // Act
      const created = await failure(client.send(newUser('seasonal-1', { InstanceId: other })));
      const searched = await failure(client.send(new SearchUsersCommand({ InstanceId: other })));

      // Assess
      for (const error of [created, searched]) {
        expect(error).toBeInstanceOf(ResourceNotFoundException);
        expect(error.message).toContain(LOCAL_CONNECT_INSTANCE_ID);
      }
      expect(users()).toEqual([]);
    });

    it('names an operation it does not serve in its error', async () => {
      // Act
      const error = await failure(
        client.send(new ListQueuesCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID })),
      );

      // Assess
      expect(error.name).toBe('UnknownOperationException');
      expect(error.$metadata?.httpStatusCode).toBe(404);
      expect(error.message).toContain('does not support ListQueues');
    });
  });

  it('still takes PutEvents from the EventBridge SDK on the same port', async () => {
    // Prepare
    const events = new EventBridgeClient({ endpoint: url, region: 'eu-central-1', credentials });

    // Act
    const response = await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"orderId":"A-1"}' }],
      }),
    );
    events.destroy();

    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries).toEqual([{ EventId: 'event-1' }]);
  });
});

describe('the local AWS endpoint without a contact centre', () => {
  it('answers Connect requests 404, naming what is missing', async () => {
    // Prepare
    const server = createEventsEndpoint({
      putEvents: async () => ({ FailedEntryCount: 0, Entries: [] }),
    });
    const url = `http://127.0.0.1:${await listen(server, 0, 'the test endpoint', '--port')}`;
    const client = new ConnectClient({ endpoint: url, region: 'eu-central-1', credentials, maxAttempts: 1 });

    // Act
    const error = await failure(client.send(newUser('seasonal-1'))).finally(async () => {
      client.destroy();
      await close(server);
    });

    // Assess
    expect(error.$metadata?.httpStatusCode).toBe(404);
    expect(error.message).toContain('serves no Connect API');
  });
});
