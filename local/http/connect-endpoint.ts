/**
 * Amazon Connect's user API on the local stack: the REST-JSON protocol exactly as `@aws-sdk/client-connect`
 * speaks it (method and path per operation, JSON bodies, the exception's name in `x-amzn-errortype`), over
 * the contact-centre simulator. The ops tools then run the real `ConnectContactCentre` adapter, and
 * `aws connect … --endpoint-url http://127.0.0.1:4010` works, against the same agents the dashboard shows.
 *
 * Served: CreateUser, DescribeUser, DeleteUser, UpdateUserRoutingProfile, SearchUsers, the quick-connect
 * calls made before a DeleteUser (the simulator has no quick connects), and GetMetricDataV2 (the KPI
 * report's daily figures per queue and channel, from the simulator's history, with Connect's limits), so
 * `peakline report --local` runs the same `ConnectMetricDataSource` as on AWS. Anything else is answered
 * with an error naming the operation, rather than a made-up success. Requests are not signature-checked.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { readableErrorMap } from '#core/zod-messages.js';
import {
  type AgentSnapshot,
  type ConnectErrorName,
  type ConnectSimulator,
  ConnectSimulatorError,
} from '#simulator/connect/index.js';

/** The one Connect instance the local stack has; any other instance id is not found, as on AWS. */
export const LOCAL_CONNECT_INSTANCE_ID = '10ca1000-c0c0-4000-8000-000000000001';

/** The region and account in the local instance's ARNs: the local stack's. */
const DEFAULT_REGION = 'eu-central-1';
const DEFAULT_ACCOUNT_ID = '000000000000';

/**
 * The local instance's ARN, which GetMetricDataV2 takes as its ResourceArn; `region` and `accountId` as the
 * endpoint was given them (the local stack's by default).
 */
export const localConnectInstanceArn = (region = DEFAULT_REGION, accountId = DEFAULT_ACCOUNT_ID): string =>
  `arn:aws:connect:${region}:${accountId}:instance/${LOCAL_CONNECT_INSTANCE_ID}`;

/** The operations served here, in the order the error for any other lists them. */
export const LOCAL_CONNECT_OPERATIONS = [
  'CreateUser',
  'DescribeUser',
  'DeleteUser',
  'UpdateUserRoutingProfile',
  'SearchUsers',
  'SearchQuickConnects',
  'DeleteQuickConnect',
  'GetMetricDataV2',
] as const;

export type LocalConnectOperation = (typeof LOCAL_CONNECT_OPERATIONS)[number];

export interface ConnectEndpointOptions {
  readonly simulator: ConnectSimulator;
  /** Only in the ARNs returned. @default 'eu-central-1', the local stack's region */
  readonly region?: string;
  /** Only in the ARNs returned. @default '000000000000', the local stack's account */
  readonly accountId?: string;
}

/** An HTTP answer, written by whichever server received the request. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: string;
}

export type ConnectRequestHandler = (method: string, url: string, body: string) => Promise<HttpAnswer>;

/** The status Connect answers each exception with (its API model's httpError traits). */
const ERROR_STATUS: Readonly<Record<ConnectErrorName, number>> = {
  DuplicateResourceException: 409,
  ResourceNotFoundException: 404,
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  // IAM's answer to a DeleteUser of a user outside the caller's `aws:ResourceTag` condition.
  AccessDeniedException: 403,
};

/** Connect's password rule for CreateUser (API reference), which the local instance enforces too. */
const CONNECT_PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/;

/** What DescribeUser reports for a user made without a PhoneConfig (the simulator keeps none). */
const DEFAULT_PHONE_CONFIG = { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 };

const answer = (status: number, body: unknown, extra: Record<string, string> = {}): HttpAnswer => {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...extra,
    },
    body: text,
  };
};

/**
 * The error shape of Connect's REST-JSON protocol: the exception's name in `x-amzn-errortype`, the text
 * in `Message`. The SDK raises the exception class of that name (a `ConnectServiceException` carrying
 * the name when Connect has no such class), and the AWS CLI prints both.
 */
export const connectError = (status: number, type: string, message: string): HttpAnswer =>
  answer(status, { Message: message }, { 'x-amzn-errortype': type });

const fail = (name: ConnectErrorName, message: string): never => {
  throw new ConnectSimulatorError(name, message);
};

// ---- request bodies ----------------------------------------------------------------------------------------

const CreateUserBody = z.object({
  Username: z.string().min(1).max(100),
  Password: z.string().optional(),
  IdentityInfo: z
    .object({
      FirstName: z.string().max(100).optional(),
      LastName: z.string().max(100).optional(),
      Email: z.string().optional(),
    })
    .optional(),
  PhoneConfig: z
    .object({
      PhoneType: z.enum(['SOFT_PHONE', 'DESK_PHONE']),
      AutoAccept: z.boolean().optional(),
      AfterContactWorkTimeLimit: z.number().int().min(0).optional(),
      DeskPhoneNumber: z.string().optional(),
    })
    .optional(),
  SecurityProfileIds: z.array(z.string().min(1)).min(1).max(10),
  RoutingProfileId: z.string().min(1),
  // Connect's limits: at most 50 tags, keys 1-128 characters, values up to 256.
  Tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
});

const UpdateRoutingProfileBody = z.object({ RoutingProfileId: z.string().min(1) });

const StringCondition = z.object({
  FieldName: z.string().min(1),
  Value: z.string(),
  ComparisonType: z.enum(['STARTS_WITH', 'CONTAINS', 'EXACT']),
});

interface UserSearchCriteria {
  readonly OrConditions?: readonly UserSearchCriteria[] | undefined;
  readonly AndConditions?: readonly UserSearchCriteria[] | undefined;
  readonly StringCondition?: z.infer<typeof StringCondition> | undefined;
  readonly ListCondition?: unknown;
  readonly HierarchyGroupCondition?: unknown;
}

const UserSearchCriteria: z.ZodType<UserSearchCriteria> = z.lazy(() =>
  z.object({
    OrConditions: z.array(UserSearchCriteria).optional(),
    AndConditions: z.array(UserSearchCriteria).optional(),
    StringCondition: StringCondition.optional(),
    ListCondition: z.unknown().optional(),
    HierarchyGroupCondition: z.unknown().optional(),
  }),
);

const SearchPage = {
  InstanceId: z.string().min(1),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
};

const SearchUsersBody = z.object({
  ...SearchPage,
  SearchFilter: z.unknown().optional(),
  SearchCriteria: UserSearchCriteria.optional(),
});

/** Accepted whatever it asks for: there are no quick connects to filter. */
const SearchQuickConnectsBody = z.object({
  ...SearchPage,
  SearchFilter: z.unknown().optional(),
  SearchCriteria: z.unknown().optional(),
});

/**
 * GetMetricDataV2's body as the SDK writes it (timestamps in epoch seconds). Only the shape is checked here;
 * what the local instance answers, and Connect's limits, are the simulator's (get-metric-data-v2.ts).
 */
const GetMetricDataV2Body = z.object({
  ResourceArn: z.string().min(1),
  StartTime: z.number(),
  EndTime: z.number(),
  Interval: z.object({ TimeZone: z.string().optional(), IntervalPeriod: z.string().optional() }).optional(),
  Filters: z
    .array(z.object({ FilterKey: z.string().optional(), FilterValues: z.array(z.string()).optional() }))
    .min(1),
  Groupings: z.array(z.string()).max(4).optional(),
  Metrics: z.array(
    z.object({
      Name: z.string().optional(),
      Threshold: z
        .array(z.object({ Comparison: z.string().optional(), ThresholdValue: z.number().optional() }))
        .optional(),
      MetricFilters: z.array(z.unknown()).optional(),
    }),
  ),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().optional(),
});

/** The body parsed against its schema; what is wrong is an InvalidParameterException, as on Connect. */
const parseBody = <T>(schema: z.ZodType<T>, body: unknown): T => {
  const result = schema.safeParse(body, { error: readableErrorMap });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
  );
  return fail('InvalidParameterException', problems.join('; '));
};

// ---- SearchUsers ---------------------------------------------------------------------------------------------

/** StringCondition fields, matched without regard to case (the adapter writes `Username`). */
const SEARCHABLE_FIELDS: Readonly<Record<string, (user: AgentSnapshot) => readonly string[]>> = {
  username: (user) => [user.username],
  firstname: (user) => [user.firstName],
  lastname: (user) => [user.lastName],
  resourceid: (user) => [user.userId],
  routingprofileid: (user) => [user.routingProfileId],
  securityprofileid: (user) => user.securityProfileIds,
};

const compare = (condition: z.infer<typeof StringCondition>, value: string): boolean => {
  switch (condition.ComparisonType) {
    case 'EXACT':
      return value === condition.Value;
    case 'STARTS_WITH':
      return value.startsWith(condition.Value);
    case 'CONTAINS':
      return value.includes(condition.Value);
  }
};

type UserPredicate = (user: AgentSnapshot) => boolean;

/**
 * The criteria as a test of one user: every condition set must hold, and an empty criteria holds for every
 * user. Built once per request, so a criteria this endpoint cannot search by is refused even with no users.
 */
const predicateOf = (criteria: UserSearchCriteria): UserPredicate => {
  if (criteria.ListCondition !== undefined || criteria.HierarchyGroupCondition !== undefined) {
    fail(
      'InvalidParameterException',
      'The local Connect endpoint searches users by StringCondition only, not by ListCondition or HierarchyGroupCondition',
    );
  }
  const tests: UserPredicate[] = [];
  const string = criteria.StringCondition;
  if (string !== undefined) {
    const field =
      SEARCHABLE_FIELDS[string.FieldName.toLowerCase()] ??
      fail(
        'InvalidParameterException',
        `FieldName "${string.FieldName}" is not searchable here; use Username, FirstName, LastName, ResourceId, RoutingProfileId or SecurityProfileId`,
      );
    tests.push((user) => field(user).some((value) => compare(string, value)));
  }
  if (criteria.AndConditions !== undefined) {
    const all = criteria.AndConditions.map(predicateOf);
    tests.push((user) => all.every((test) => test(user)));
  }
  if (criteria.OrConditions !== undefined) {
    const any = criteria.OrConditions.map(predicateOf);
    tests.push((user) => any.some((test) => test(user)));
  }
  return (user) => tests.every((test) => test(user));
};

/**
 * NextToken: the last user id of the page. The simulator's user ids are zero-padded counters, so their
 * order is creation order and a page boundary survives users deleted between two pages.
 */
const encodeToken = (lastUserId: string): string =>
  Buffer.from(JSON.stringify({ after: lastUserId })).toString('base64url');

const decodeToken = (token: string): string => {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // Falls through to the same answer as a token of the wrong shape.
  }
  return fail('InvalidParameterException', 'NextToken is not one this endpoint returned');
};

// ---- routing -------------------------------------------------------------------------------------------------

/** A path template as Connect's API model writes it: `/users/{InstanceId}/{UserId}`. */
type Template = readonly string[];

const templateOf = (path: string): Template => (path.split('?')[0] ?? '').split('/').slice(1);

/**
 * The labels of `segments` when they fit the template, and how many literal segments the fit used (the
 * more, the more specific), or undefined. `{Label+}` takes the rest of the path.
 */
const fit = (
  template: Template,
  segments: readonly string[],
): { readonly labels: Record<string, string>; readonly literals: number } | undefined => {
  const labels: Record<string, string> = {};
  let literals = 0;
  for (const [i, part] of template.entries()) {
    const label = /^\{(\w+)(\+?)\}$/.exec(part);
    if (label?.[1] !== undefined && label[2] === '+') {
      if (i >= segments.length) return undefined;
      labels[label[1]] = segments.slice(i).join('/');
      return { labels, literals };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (label?.[1] !== undefined) {
      if (segment === '') return undefined;
      labels[label[1]] = segment;
    } else if (segment === part) {
      literals += 1;
    } else {
      return undefined;
    }
  }
  return segments.length === template.length ? { labels, literals } : undefined;
};

interface Route {
  readonly operation: LocalConnectOperation;
  readonly method: string;
  readonly template: Template;
  readonly run: (labels: Record<string, string>, body: unknown) => Promise<unknown>;
}

/**
 * The name of the Connect operation a request is, from the SDK's own API model (method and path of each
 * of Connect's operations), so that an operation not served here is named in the error. Loaded on the
 * first such request only: the SDK takes a few hundred milliseconds to import.
 */
let connectOperations: Promise<readonly { name: string; method: string; template: Template }[]> | undefined;

const loadConnectOperations = async (): Promise<
  readonly { name: string; method: string; template: Template }[]
> => {
  try {
    const sdk = (await import('@aws-sdk/client-connect')) as Record<string, unknown>;
    const operations: { name: string; method: string; template: Template }[] = [];
    for (const schema of Object.values(sdk)) {
      // A StaticOperationSchema: [9, namespace, name, { http: [method, path, status] }, input, output].
      if (!Array.isArray(schema) || schema[0] !== 9 || typeof schema[2] !== 'string') continue;
      const http: unknown = (schema[3] as { http?: unknown } | null | undefined)?.http;
      if (!Array.isArray(http) || typeof http[0] !== 'string' || typeof http[1] !== 'string') continue;
      operations.push({ name: schema[2], method: http[0], template: templateOf(http[1]) });
    }
    return operations;
  } catch {
    // Without the model the error names the method and path instead.
    return [];
  }
};

const connectOperationOf = async (method: string, segments: readonly string[]) => {
  connectOperations ??= loadConnectOperations();
  let best: { readonly name: string; readonly literals: number } | undefined;
  for (const operation of await connectOperations) {
    if (operation.method !== method) continue;
    const found = fit(operation.template, segments);
    if (found && (best === undefined || found.literals > best.literals)) {
      best = { name: operation.name, literals: found.literals };
    }
  }
  return best?.name;
};

/**
 * The request handler for Connect's REST-JSON API over the simulator. `url` is the request target
 * (path and query), `body` the request body as text.
 */
export const createConnectHandler = (options: ConnectEndpointOptions): ConnectRequestHandler => {
  const { simulator } = options;
  const instanceArn = localConnectInstanceArn(options.region, options.accountId);
  const userArn = (userId: string) => `${instanceArn}/agent/${userId}`;
  /** The PhoneConfig each user was created with here; the simulator has no use for it. */
  const phoneConfigs = new Map<string, unknown>();

  const checkInstance = (instanceId: string): void => {
    if (instanceId !== LOCAL_CONNECT_INSTANCE_ID && instanceId !== instanceArn) {
      fail(
        'ResourceNotFoundException',
        `Instance "${instanceId}" not found: the local stack's Connect instance is ${LOCAL_CONNECT_INSTANCE_ID}`,
      );
    }
  };

  /** The live users, in creation order; a deleted user finishing a contact is gone for the API. */
  const liveUsers = (): AgentSnapshot[] => simulator.snapshot().agents.filter((agent) => !agent.deleted);

  const userOrThrow = (userId: string): AgentSnapshot => {
    const user = liveUsers().find((agent) => agent.userId === userId);
    if (user === undefined) {
      phoneConfigs.delete(userId);
      return fail('ResourceNotFoundException', `User "${userId}" not found`);
    }
    return user;
  };

  const phoneConfigOf = (userId: string) => phoneConfigs.get(userId) ?? DEFAULT_PHONE_CONFIG;

  const label = (labels: Record<string, string>, name: string): string =>
    labels[name] ?? fail('InvalidParameterException', `${name} is missing from the path`);

  const routes: readonly Route[] = [
    {
      operation: 'CreateUser',
      method: 'PUT',
      template: templateOf('/users/{InstanceId}'),
      run: async (labels, body) => {
        checkInstance(label(labels, 'InstanceId'));
        const request = parseBody(CreateUserBody, body);
        // The ContactCenterStack's instance manages its identities in Connect, so CreateUser needs a
        // password, and so does the local one: an adapter set up for SAML fails here as it would on AWS.
        if (request.Password === undefined) {
          fail(
            'InvalidParameterException',
            'Password is required: the instance manages identities in Connect (CONNECT_MANAGED)',
          );
        } else if (!CONNECT_PASSWORD.test(request.Password)) {
          fail(
            'InvalidParameterException',
            'Password must be 8-64 characters with a lower-case letter, an upper-case letter and a digit',
          );
        }
        const { userId } = await simulator.createUser({
          username: request.Username,
          firstName: request.IdentityInfo?.FirstName ?? '',
          lastName: request.IdentityInfo?.LastName ?? '',
          ...(request.IdentityInfo?.Email === undefined ? {} : { email: request.IdentityInfo.Email }),
          routingProfileId: request.RoutingProfileId,
          securityProfileIds: request.SecurityProfileIds,
          ...(request.Tags === undefined ? {} : { tags: request.Tags }),
        });
        if (request.PhoneConfig !== undefined) phoneConfigs.set(userId, request.PhoneConfig);
        return { UserId: userId, UserArn: userArn(userId) };
      },
    },
    {
      operation: 'DescribeUser',
      method: 'GET',
      template: templateOf('/users/{InstanceId}/{UserId}'),
      run: async (labels) => {
        checkInstance(label(labels, 'InstanceId'));
        const user = userOrThrow(label(labels, 'UserId'));
        return {
          User: {
            Id: user.userId,
            Arn: userArn(user.userId),
            Username: user.username,
            IdentityInfo: {
              FirstName: user.firstName,
              LastName: user.lastName,
              ...(user.email === undefined ? {} : { Email: user.email }),
            },
            PhoneConfig: phoneConfigOf(user.userId),
            SecurityProfileIds: user.securityProfileIds,
            RoutingProfileId: user.routingProfileId,
            Tags: { ...user.tags },
          },
        };
      },
    },
    {
      operation: 'DeleteUser',
      method: 'DELETE',
      template: templateOf('/users/{InstanceId}/{UserId}'),
      run: async (labels) => {
        checkInstance(label(labels, 'InstanceId'));
        // Connect answers ResourceNotFoundException for a user already gone (the port's "already deleted
        // is deleted" is the adapter's doing), so the adapter's handling of it is exercised here too.
        const user = userOrThrow(label(labels, 'UserId'));
        await simulator.deleteUser(user.userId);
        phoneConfigs.delete(user.userId);
        return undefined;
      },
    },
    {
      operation: 'UpdateUserRoutingProfile',
      method: 'POST',
      template: templateOf('/users/{InstanceId}/{UserId}/routing-profile'),
      run: async (labels, body) => {
        checkInstance(label(labels, 'InstanceId'));
        const { RoutingProfileId } = parseBody(UpdateRoutingProfileBody, body);
        await simulator.updateUserRoutingProfile(label(labels, 'UserId'), RoutingProfileId);
        return undefined;
      },
    },
    {
      operation: 'SearchUsers',
      method: 'POST',
      template: templateOf('/search-users'),
      run: async (_labels, body) => {
        const request = parseBody(SearchUsersBody, body);
        checkInstance(request.InstanceId);
        if (request.SearchFilter !== undefined) {
          fail('InvalidParameterException', 'The local Connect endpoint does not take a SearchFilter');
        }
        const matches = predicateOf(request.SearchCriteria ?? {});
        const found = liveUsers()
          .filter(matches)
          .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
        const after = request.NextToken === undefined ? undefined : decodeToken(request.NextToken);
        const rest = after === undefined ? found : found.filter((user) => user.userId > after);
        const page = rest.slice(0, request.MaxResults ?? 100);
        const last = page.at(-1);
        return {
          Users: page.map((user) => ({
            Id: user.userId,
            Arn: userArn(user.userId),
            Username: user.username,
            IdentityInfo: { FirstName: user.firstName, LastName: user.lastName },
            PhoneConfig: phoneConfigOf(user.userId),
            RoutingProfileId: user.routingProfileId,
            SecurityProfileIds: user.securityProfileIds,
            Tags: { ...user.tags },
          })),
          ApproximateTotalCount: found.length,
          ...(last !== undefined && rest.length > page.length ? { NextToken: encodeToken(last.userId) } : {}),
        };
      },
    },
    {
      operation: 'SearchQuickConnects',
      method: 'POST',
      template: templateOf('/search-quick-connects'),
      run: async (_labels, body) => {
        const request = parseBody(SearchQuickConnectsBody, body);
        checkInstance(request.InstanceId);
        return { QuickConnects: [], ApproximateTotalCount: 0 };
      },
    },
    {
      operation: 'DeleteQuickConnect',
      method: 'DELETE',
      template: templateOf('/quick-connects/{InstanceId}/{QuickConnectId}'),
      run: async (labels) => {
        checkInstance(label(labels, 'InstanceId'));
        return fail(
          'ResourceNotFoundException',
          `Quick connect "${label(labels, 'QuickConnectId')}" not found: the local instance has no quick connects`,
        );
      },
    },
    {
      operation: 'GetMetricDataV2',
      method: 'POST',
      template: templateOf('/metrics/data'),
      run: async (_labels, body) => {
        const request = parseBody(GetMetricDataV2Body, body);
        // ResourceArn is the instance's ARN; its bare id is refused, as Connect refuses it.
        if (request.ResourceArn !== instanceArn) {
          fail(
            'ResourceNotFoundException',
            `ResourceArn "${request.ResourceArn}" not found: the local stack's Connect instance is ${instanceArn}`,
          );
        }
        // A queue given by ARN must be one of this instance's.
        for (const filter of request.Filters) {
          if (filter.FilterKey !== 'QUEUE') continue;
          for (const value of filter.FilterValues ?? []) {
            if (value.startsWith('arn:') && !value.startsWith(`${instanceArn}/queue/`)) {
              fail('ResourceNotFoundException', `Queue "${value}" is not a queue of ${instanceArn}`);
            }
          }
        }
        const { ResourceArn: _, ...input } = request;
        const answer = simulator.getMetricDataV2(input);
        // Grouped by queue, Connect names the queue's ARN beside its id.
        return {
          ...answer,
          MetricResults: answer.MetricResults.map((result) => {
            const queueId = result.Dimensions['QUEUE'];
            return queueId === undefined
              ? result
              : {
                  ...result,
                  Dimensions: { ...result.Dimensions, QUEUE_ARN: `${instanceArn}/queue/${queueId}` },
                };
          }),
        };
      },
    },
  ];

  return async (method, url, body) => {
    let segments: string[];
    try {
      segments = templateOf(url).map((segment) => decodeURIComponent(segment));
    } catch {
      return connectError(
        400,
        'InvalidRequestException',
        `The path of ${url} is not validly percent-encoded`,
      );
    }
    let route: Route | undefined;
    let labels: Record<string, string> = {};
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      const found = fit(candidate.template, segments);
      if (found) {
        route = candidate;
        labels = found.labels;
        break;
      }
    }
    if (route === undefined) {
      const operation = await connectOperationOf(method, segments);
      const what = operation ?? `${method} ${url.split('?')[0] ?? url}, which is no Connect operation`;
      return connectError(
        404,
        'UnknownOperationException',
        `The local Connect endpoint does not support ${what}; it serves ${LOCAL_CONNECT_OPERATIONS.join(', ')}.`,
      );
    }

    try {
      let input: unknown = {};
      if (body.trim() !== '') {
        try {
          input = JSON.parse(body);
        } catch {
          return connectError(400, 'InvalidRequestException', 'The request body is not valid JSON');
        }
      }
      return answer(200, await route.run(labels, input));
    } catch (error) {
      if (error instanceof ConnectSimulatorError) {
        return connectError(ERROR_STATUS[error.name], error.name, error.message);
      }
      return connectError(
        500,
        'InternalServiceException',
        `${route.operation} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
};
