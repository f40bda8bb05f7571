import { randomInt } from 'node:crypto';
import type { CurrentMetric, CurrentMetricResult } from '@aws-sdk/client-connect';
import type { Channel, ChannelMetrics, ContactCentre, NewTask, NewUser, QueueMetrics } from '#core/ports.js';
import { queueMetricsOf } from '#core/queue-metrics.js';
import { isManagedUser, type ManagedUserTag, unmanagedUserMessage } from '#core/seats/managed-user.js';
import {
  type ConnectSender,
  CreateUserCommand,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetCurrentMetricDataCommand,
  SearchQuickConnectsCommand,
  SearchUsersCommand,
  StartTaskContactCommand,
  UpdateUserRoutingProfileCommand,
} from './connect-commands.js';
import { CallPacer, type ThrottlingRetryPolicy, retryThrottled } from './retry.js';

/** How the Connect instance authenticates its users; it decides whether CreateUser takes a password. */
export type IdentityManagement = 'CONNECT_MANAGED' | 'SAML' | 'EXISTING_DIRECTORY';

export interface ConnectContactCentreOptions {
  readonly instanceId: string;
  /**
   * Contact flow that StartTaskContact runs for tasks (the task flow's id). StartTaskContact takes no
   * queue: this flow must read the `peaklineQueueId` contact attribute (see {@link TASK_QUEUE_ATTRIBUTE}),
   * set the working queue to it and transfer the task there. Only `startTask` needs it: the seats CLI and
   * the seat revocation functions manage users and start no tasks.
   * @default none: `startTask` throws
   */
  readonly taskContactFlowId?: string;
  /**
   * Connect API calls per second this adapter may make (Connect's default for most user/task APIs is 2/s).
   * @default 2
   */
  readonly callsPerSecond?: number;
  /**
   * Attempts on throttling (TooManyRequestsException / ThrottlingException / LimitExceededException for
   * rate) with exponential backoff and jitter.
   * @default 6
   */
  readonly maxAttempts?: number;
  /**
   * The instance's identity management. With CONNECT_MANAGED (what the ContactCenterStack creates),
   * Connect requires a password on CreateUser; with SAML or an existing directory it rejects one.
   * @default 'CONNECT_MANAGED'
   */
  readonly identityManagement?: IdentityManagement;
  /**
   * The tag (`peakline:managed=<stage>`) every user this adapter creates carries, and that a user must carry
   * for this adapter to delete it. The revokers' IAM allows DeleteUser only on users with it; checking first
   * (DescribeUser) also spares the quick connects of a user IAM would refuse to delete, which are deleted
   * before the user. Left out, users are created untagged and deleted unchecked (tests of other concerns).
   * @default none
   */
  readonly managedUserTag?: ManagedUserTag;
  /** @default Date.now */
  readonly nowMs?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** The contact attribute that tells the task flow which queue to transfer the task to. */
export const TASK_QUEUE_ATTRIBUTE = 'peaklineQueueId';

/** GetCurrentMetricData takes at most this many queues in its filter. */
export const MAX_QUEUES_PER_METRICS_CALL = 100;

/** The largest page SearchQuickConnects returns. */
const QUICK_CONNECTS_PER_PAGE = 100;

/** StartTaskContact's length limits. */
const TASK_NAME_MAX = 512;
const TASK_DESCRIPTION_MAX = 4096;

/**
 * Backoff ceilings: 0.5 s, 1 s, 2 s, 4 s, 8 s with the default 6 attempts, so a throttled call is given
 * up within about 15 s, well inside the minute the overflow controller samples in.
 */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 20_000;

const CHANNELS = ['VOICE', 'CHAT', 'TASK'] as const;

/**
 * OLDEST_CONTACT_AGE is asked with Unit SECONDS, as the API requires. Its value is in seconds when the
 * request has groupings and in milliseconds when it has none, whatever the Unit says (GetCurrentMetricData,
 * CurrentMetrics, OLDEST_CONTACT_AGE in the Amazon Connect API Reference).
 */
const CURRENT_METRICS: readonly CurrentMetric[] = [
  { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' },
  { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' },
  { Name: 'AGENTS_ONLINE', Unit: 'COUNT' },
  { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' },
  { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' },
];

/**
 * OLDEST_CONTACT_AGE as GetCurrentMetricData reported it, in seconds: the value is already in seconds when
 * the request had groupings, and in milliseconds (despite Unit SECONDS) when it had none. A missing value
 * (no contact waiting, or nothing to compute from) is 0.
 */
export function oldestContactAgeSeconds(value: number | undefined, requestHadGroupings: boolean): number {
  if (value === undefined || value === null || !Number.isFinite(value)) return 0;
  return requestHadGroupings ? value : value / 1000;
}

const PASSWORD_LENGTH = 32;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PASSWORD_ALPHABET = LOWER + UPPER + DIGITS;

/**
 * A password nobody is told: 32 characters from a cryptographic source, with a lower-case letter, an
 * upper-case letter and a digit, as Connect's password pattern requires (8 to 64 characters). Letters and
 * digits only, about 190 bits. The seat holder sets their own with "Forgot password" on the Connect login
 * page (which needs the user's email), or an admin resets it; peakline never stores or logs it.
 */
export function generateConnectPassword(): string {
  for (;;) {
    let password = '';
    for (let i = 0; i < PASSWORD_LENGTH; i += 1)
      password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
    // Missing a class has odds of about 1 in 10^4; drawing again keeps every position uniform.
    if ([LOWER, UPPER, DIGITS].every((set) => [...password].some((c) => set.includes(c)))) return password;
  }
}

/**
 * The contact centre on Amazon Connect.
 *
 * Every API call (each page and each retry included) waits for its slot in a schedule of
 * `callsPerSecond`, shared by all methods of one instance, and throttling answers are retried with
 * exponential backoff and full jitter. The client makes one attempt per call (LeanConnectClient does;
 * build an SDK ConnectClient under BridgedConnectSender with `maxAttempts: 1`): retries of its own would
 * bypass the schedule and multiply the attempts configured here.
 */
export class ConnectContactCentre implements ContactCentre {
  private readonly pacer: CallPacer;
  private readonly retry: ThrottlingRetryPolicy;
  private readonly identityManagement: IdentityManagement;

  constructor(
    private readonly client: ConnectSender,
    private readonly options: ConnectContactCentreOptions,
  ) {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.pacer = new CallPacer(options.callsPerSecond ?? 2, options.nowMs ?? Date.now, sleep);
    const maxAttempts = options.maxAttempts ?? 6;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number of at least 1, got ${maxAttempts}`);
    }
    this.retry = {
      maxAttempts,
      baseDelayMs: BACKOFF_BASE_MS,
      maxDelayMs: BACKOFF_MAX_MS,
      sleep,
      random: options.random ?? Math.random,
    };
    this.identityManagement = options.identityManagement ?? 'CONNECT_MANAGED';
  }

  /**
   * All queues in one GetCurrentMetricData, grouped by queue and channel: each queue's figures per channel
   * (voice, chat, tasks) and its totals (see `QueueMetrics`). A queue Connect says nothing about (no agents
   * staffed, nothing waiting) gets zeros and no channel; a channel it has no row for is absent. Queues may
   * be given by id or ARN; the answer is in the order asked.
   */
  async getCurrentMetrics(queueIds: readonly string[]): Promise<QueueMetrics[]> {
    if (queueIds.length === 0) return [];
    const queues = [...new Set(queueIds)];
    if (queues.length > MAX_QUEUES_PER_METRICS_CALL) {
      throw new RangeError(
        `GetCurrentMetricData takes at most ${MAX_QUEUES_PER_METRICS_CALL} queues in one call, got ${queues.length}`,
      );
    }

    // One queue's channels, under its id and its ARN alike (either may have been asked).
    const found = new Map<string, Partial<Record<Channel, ChannelMetrics>>>();
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.call(() =>
        this.client.send(
          new GetCurrentMetricDataCommand({
            InstanceId: this.options.instanceId,
            Filters: { Queues: [...queues], Channels: [...CHANNELS] },
            // By channel too, so that a chat backlog can be told from the callers' own wait. Grouped at
            // all, OLDEST_CONTACT_AGE comes in seconds (see CURRENT_METRICS).
            Groupings: ['QUEUE', 'CHANNEL'],
            CurrentMetrics: CURRENT_METRICS.map((metric) => ({ ...metric })),
            // Up to 300 rows (100 queues by 3 channels): NextToken brings the rest.
            MaxResults: MAX_QUEUES_PER_METRICS_CALL,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      for (const result of page.MetricResults ?? []) {
        const channel = channelOf(result.Dimensions?.Channel);
        const { Id, Arn } = result.Dimensions?.Queue ?? {};
        // Grouped by both, every row names both (the API reference); one that did not could not be placed.
        if (channel === undefined || (Id === undefined && Arn === undefined)) continue;
        const channels =
          (Id === undefined ? undefined : found.get(Id)) ??
          (Arn === undefined ? undefined : found.get(Arn)) ??
          {};
        channels[channel] = readChannelFigures(result);
        if (Id !== undefined) found.set(Id, channels);
        if (Arn !== undefined) found.set(Arn, channels);
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);

    return queueIds.map((queueId) => queueMetricsOf(queueId, { ...found.get(queueId) }));
  }

  /**
   * Starts a task in the task flow, which transfers it to `task.queueId` (carried in the
   * `peaklineQueueId` attribute). The client token makes a repeat within 7 days return the same contact,
   * so a sweeper that retries after a timeout creates no second task. Name and description are cut to
   * Connect's limits rather than refused: a long offer is still worth a callback.
   */
  async startTask(task: NewTask): Promise<{ contactId: string }> {
    const contactFlowId = this.options.taskContactFlowId;
    if (contactFlowId === undefined) {
      throw new Error(
        'Cannot start a task: this Connect contact centre was built without a taskContactFlowId (the task flow that transfers a task to its queue).',
      );
    }
    const { ContactId } = await this.call(() =>
      this.client.send(
        new StartTaskContactCommand({
          InstanceId: this.options.instanceId,
          ContactFlowId: contactFlowId,
          Name: truncate(task.name, TASK_NAME_MAX),
          Description: truncate(task.description, TASK_DESCRIPTION_MAX),
          // Set last, so that an attribute of the same name cannot send the task to another queue.
          Attributes: { ...task.attributes, [TASK_QUEUE_ATTRIBUTE]: task.queueId },
          ClientToken: task.clientToken,
        }),
      ),
    );
    if (ContactId === undefined) throw new Error('StartTaskContact answered without a ContactId');
    return { contactId: ContactId };
  }

  /**
   * Creates a soft-phone user that accepts contacts by hand and has no after-contact-work timeout. When
   * the username is taken (a resumed import that created it before it was interrupted), the existing user's
   * id is returned, so that an import run twice creates nothing twice.
   */
  async createUser(user: NewUser): Promise<{ userId: string }> {
    try {
      const { UserId } = await this.call(() =>
        this.client.send(
          new CreateUserCommand({
            InstanceId: this.options.instanceId,
            Username: user.username,
            ...(this.identityManagement === 'CONNECT_MANAGED' ? { Password: generateConnectPassword() } : {}),
            IdentityInfo: {
              FirstName: user.firstName,
              LastName: user.lastName,
              ...(user.email === undefined ? {} : { Email: user.email }),
            },
            PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
            SecurityProfileIds: [...user.securityProfileIds],
            RoutingProfileId: user.routingProfileId,
            ...(this.options.managedUserTag === undefined
              ? {}
              : { Tags: { [this.options.managedUserTag.key]: this.options.managedUserTag.value } }),
          }),
        ),
      );
      if (UserId === undefined) throw new Error('CreateUser answered without a UserId');
      return { userId: UserId };
    } catch (error) {
      if (errorName(error) !== 'DuplicateResourceException') throw error;
      const existing = await this.findUserId(user.username);
      // Taken by something we cannot find: the original answer says more than a guess would.
      if (existing === undefined) throw error;
      return { userId: existing };
    }
  }

  /**
   * Deletes the user, and first the quick connects that transfer to them. Connect does not delete those
   * with the user: they would stay in the agents' transfer list as a dead entry and count against the
   * instance's quick-connect quota (the DeleteUser API reference asks callers to delete them). Going first
   * means that a revocation interrupted half-way still has the user, so the seat stays due and the next
   * try finds the quick connects again. Anything already gone (a previous try, or someone by hand) is done.
   *
   * With `managedUserTag`, the user's tags are read first (DescribeUser): a user without the tag is refused
   * with an AccessDeniedException, as IAM would refuse its DeleteUser, before anything is deleted.
   */
  async deleteUser(userId: string): Promise<void> {
    const tag = this.options.managedUserTag;
    if (tag !== undefined) {
      let tags: Record<string, string> | undefined;
      try {
        const { User } = await this.call(() =>
          this.client.send(new DescribeUserCommand({ InstanceId: this.options.instanceId, UserId: userId })),
        );
        tags = User?.Tags;
      } catch (error) {
        // Gone already: deleted, as the port has it.
        if (errorName(error) === 'ResourceNotFoundException') return;
        throw error;
      }
      if (!isManagedUser(tags, tag)) {
        throw Object.assign(new Error(unmanagedUserMessage(userId, tag)), { name: 'AccessDeniedException' });
      }
    }
    for (const quickConnectId of await this.findUserQuickConnectIds(userId)) {
      await ignoreNotFound(() =>
        this.call(() =>
          this.client.send(
            new DeleteQuickConnectCommand({
              InstanceId: this.options.instanceId,
              QuickConnectId: quickConnectId,
            }),
          ),
        ),
      );
    }
    await ignoreNotFound(() =>
      this.call(() =>
        this.client.send(new DeleteUserCommand({ InstanceId: this.options.instanceId, UserId: userId })),
      ),
    );
  }

  async updateUserRoutingProfile(userId: string, routingProfileId: string): Promise<void> {
    await this.call(() =>
      this.client.send(
        new UpdateUserRoutingProfileCommand({
          InstanceId: this.options.instanceId,
          UserId: userId,
          RoutingProfileId: routingProfileId,
        }),
      ),
    );
  }

  /**
   * The ids of the USER quick connects that transfer to `userId`. SearchQuickConnects can only match a
   * quick connect's name, description or id (and tags), none of which says whose it is, so every quick
   * connect of the instance is read, 100 a page, and told apart here by type and user id. Most instances
   * have fewer than 100: one call.
   */
  private async findUserQuickConnectIds(userId: string): Promise<string[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.call(() =>
        this.client.send(
          new SearchQuickConnectsCommand({
            InstanceId: this.options.instanceId,
            MaxResults: QUICK_CONNECTS_PER_PAGE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      for (const quickConnect of page.QuickConnects ?? []) {
        const config = quickConnect.QuickConnectConfig;
        if (
          config?.QuickConnectType === 'USER' &&
          config.UserConfig?.UserId === userId &&
          quickConnect.QuickConnectId !== undefined
        ) {
          ids.push(quickConnect.QuickConnectId);
        }
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return ids;
  }

  /** The id of the user with this username, if there is one (SearchUsers, exact username). */
  async findUserId(username: string): Promise<string | undefined> {
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.call(() =>
        this.client.send(
          new SearchUsersCommand({
            InstanceId: this.options.instanceId,
            SearchCriteria: {
              StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' },
            },
            MaxResults: 100,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      // The exact spelling first; then one differing only in case, in case that is what Connect called a
      // duplicate.
      const users = page.Users ?? [];
      const match =
        users.find((u) => u.Username === username) ??
        users.find((u) => u.Username?.toLowerCase() === username.toLowerCase());
      if (match?.Id !== undefined) return match.Id;
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return undefined;
  }

  /** One Connect API call: waits for its slot, and again for each retry of a throttled answer. */
  private call<T>(send: () => Promise<T>): Promise<T> {
    return retryThrottled(async () => {
      await this.pacer.take();
      return send();
    }, this.retry);
  }
}

function channelOf(value: string | undefined): Channel | undefined {
  return CHANNELS.find((channel) => channel === value);
}

function readChannelFigures(result: CurrentMetricResult): ChannelMetrics {
  const value = (name: string): number | undefined => {
    const v = result.Collections?.find((c) => c.Metric?.Name === name)?.Value;
    // Connect leaves the value null when it cannot compute it (nothing to compute from).
    return v === null || v === undefined || !Number.isFinite(v) ? undefined : v;
  };
  return {
    contactsInQueue: value('CONTACTS_IN_QUEUE') ?? 0,
    // The request has groupings, so the value is in seconds already.
    oldestContactAgeSeconds: oldestContactAgeSeconds(value('OLDEST_CONTACT_AGE'), true),
    agentsOnline: value('AGENTS_ONLINE') ?? 0,
    agentsAvailable: value('AGENTS_AVAILABLE') ?? 0,
    agentsOnContact: value('AGENTS_ON_CONTACT') ?? 0,
  };
}

/** Cuts `text` to at most `max` UTF-16 units, ending in an ellipsis, without splitting a character. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > max - 1) break;
    cut += char;
  }
  return `${cut}…`;
}

/** Runs a delete; Connect's "not found" means someone (a previous try, or a person) already did it. */
async function ignoreNotFound(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
  }
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name } = error as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}
