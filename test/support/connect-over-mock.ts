/**
 * Amazon Connect on loopback, answered by a mocked ConnectClient: each REST-JSON request is read back into
 * the SDK command it stands for (by the SDK's own model: the operation's method and URI, its path labels,
 * its timestamp members) and sent to a ConnectClient, which the test file mocks with
 * `mockClient(ConnectClient)`; the mock's answer goes back as Connect would send it (timestamps as epoch
 * seconds), its rejection as Connect's error (the exception's name in `x-amzn-errortype`, its HTTP status).
 *
 * So a handler test runs the deployed functions' own Connect client (LeanConnectClient, reached through
 * AWS_ENDPOINT_URL_CONNECT) and still asserts the exact SDK command inputs with aws-sdk-client-mock.
 */
import * as sdk from '@aws-sdk/client-connect';
import { type FakeRestJson, fakeRestJson, type RestAnswer, type RestRequest } from './fake-rest-json.js';

type Schema = unknown;
interface Operation {
  readonly name: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly labels: readonly string[];
  /** Literal characters of the URI: the more, the more specific when two match. */
  readonly literals: number;
  readonly input: () => Schema;
}

const exported = sdk as unknown as Record<string, unknown>;

/** Every Connect operation in the SDK's model: `[9, namespace, name, { http: [method, uri] }, input, output]`. */
const operations: readonly Operation[] = Object.values(exported).flatMap((schema): Operation[] => {
  if (!Array.isArray(schema) || schema[0] !== 9 || typeof schema[2] !== 'string') return [];
  const http = (schema[3] as { http?: unknown } | undefined)?.http;
  if (!Array.isArray(http) || typeof http[0] !== 'string' || typeof http[1] !== 'string') return [];
  const [uri = ''] = http[1].split('?');
  const labels: string[] = [];
  const source = uri
    .split(/(\{\w+\})/)
    .map((part) => {
      const label = /^\{(\w+)\}$/.exec(part)?.[1];
      if (label === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      labels.push(label);
      return '([^/]+)';
    })
    .join('');
  return [
    {
      name: schema[2],
      method: http[0],
      pattern: new RegExp(`^${source}$`),
      labels,
      literals: uri.replace(/\{\w+\}/g, '').length,
      input: schema[4] as () => Schema,
    },
  ];
});

/** A structure's member names and their schemas (a member may come with traits: `[schema, traits]`). */
const membersOf = (structure: Schema): [string, Schema][] => {
  const resolved = typeof structure === 'function' ? (structure as () => Schema)() : structure;
  if (!Array.isArray(resolved) || resolved[0] !== 3) return [];
  const names = resolved[4] as string[];
  const schemas = resolved[5] as Schema[];
  return names.map((name, i) => [name, Array.isArray(schemas[i]) ? (schemas[i] as Schema[])[0] : schemas[i]]);
};

/** Timestamp members (schema 4) arrive as epoch seconds; the SDK command holds them as Dates. */
const inputOf = (
  operation: Operation,
  request: RestRequest,
  labels: readonly string[],
): Record<string, unknown> => {
  const input: Record<string, unknown> = { ...((request.body as Record<string, unknown> | undefined) ?? {}) };
  operation.labels.forEach((label, i) => {
    input[label] = decodeURIComponent(labels[i] ?? '');
  });
  for (const [name, schema] of membersOf(operation.input())) {
    if (schema === 4 && typeof input[name] === 'number')
      input[name] = new Date((input[name] as number) * 1000);
  }
  return input;
};

/** Dates as Connect sends timestamps: epoch seconds. */
const onTheWire = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(onTheWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, onTheWire(member)]));
  }
  return value;
};

/** A rejection as Connect's error answer: the status the error carries, else its model's, else by fault. */
const errorAnswer = (error: unknown): RestAnswer => {
  const { name, message, $fault, $metadata } = error as {
    name?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const code = name ?? 'UnknownError';
  const modelled = (exported[`${code}$`] as [number, string, string, { httpError?: number }] | undefined)?.[3]
    ?.httpError;
  const status = $metadata?.httpStatusCode ?? modelled ?? ($fault === 'server' ? 500 : 400);
  return { status, headers: { 'x-amzn-errortype': code }, body: { message: message ?? '' } };
};

export interface ConnectOverMock extends FakeRestJson {
  /** The operations asked, in order (`StartTaskContact`, …). */
  readonly operations: string[];
}

/**
 * Starts the endpoint. The test file mocks ConnectClient (`mockClient(ConnectClient)`) and points the code
 * under test at `url` (AWS_ENDPOINT_URL_CONNECT); what the mock answers, the code under test receives.
 */
export const connectOverMock = async (): Promise<ConnectOverMock> => {
  const fake = await fakeRestJson();
  const asked: string[] = [];
  const client = new sdk.ConnectClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  fake.answer(async (request) => {
    let best: { operation: Operation; labels: string[] } | undefined;
    for (const operation of operations) {
      if (operation.method !== request.method) continue;
      const match = operation.pattern.exec(request.path);
      if (match && (best === undefined || operation.literals > best.operation.literals)) {
        best = { operation, labels: match.slice(1) };
      }
    }
    if (best === undefined) {
      return errorAnswer({ name: 'UnknownOperationException', message: `${request.method} ${request.path}` });
    }
    asked.push(best.operation.name);
    const Command = exported[`${best.operation.name}Command`] as new (input: unknown) => never;
    try {
      const output = (await client.send(
        new Command(inputOf(best.operation, request, best.labels)),
      )) as unknown as Record<string, unknown> | undefined;
      const { $metadata: _, ...members } = output ?? {};
      return { body: onTheWire(members) };
    } catch (error) {
      return errorAnswer(error);
    }
  });
  return {
    ...fake,
    requests: fake.requests,
    operations: asked,
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};
