/**
 * An AWS query-protocol endpoint on loopback (SNS): reads each form POST back into its parameters (and a
 * Publish into the PublishCommandInput it carries), answers XML as SNS does. The query-protocol sibling
 * of fake-aws-json.ts: a test that answers SNS here holds whether the code under test publishes through
 * the SDK's client or the signed query request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { PUBLISH_MEMBERS } from '#adapters/sns/lean-publish.js';
import { type FakeHttp, fakeHttp, type HttpAnswer, type RawRequest } from './fake-http.js';

/** One request as the fake received it. */
export interface ReceivedQuery {
  /** The `Action` parameter (`Publish`). */
  readonly action: string;
  readonly headers: IncomingHttpHeaders;
  /** Every parameter, `Action` and `Version` included, form-decoded. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** What the fake answers: an XML body with a status, or nothing at all (the connection hangs). */
export type FakeQueryAnswer = { readonly status?: number; readonly xml: string } | 'hang';

/** The recording endpoint (fake-http.ts), answered in the query protocol's terms. */
export type FakeAwsQuery = Omit<FakeHttp<ReceivedQuery>, 'answer'> & {
  /** How every following request is answered. */
  answer(with_: (request: ReceivedQuery) => FakeQueryAnswer): void;
};

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** SNS taking a Publish, answered as SNS answers (namespace, indentation, response metadata). */
export const publishAnswer = (messageId: string): FakeQueryAnswer => ({
  xml: [
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">',
    '  <PublishResult>',
    `    <MessageId>${escapeXml(messageId)}</MessageId>`,
    '  </PublishResult>',
    '  <ResponseMetadata>',
    '    <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>',
    '  </ResponseMetadata>',
    '</PublishResponse>',
  ].join('\n'),
});

/** An error answer of the query protocol: `Sender` for a 4xx, `Receiver` for a 5xx, as AWS types them. */
export const queryError = (status: number, code: string, message: string): FakeQueryAnswer => ({
  status,
  xml: [
    '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">',
    '  <Error>',
    `    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>`,
    `    <Code>${escapeXml(code)}</Code>`,
    `    <Message>${escapeXml(message)}</Message>`,
    '  </Error>',
    '  <RequestId>9b0a7c2e-5d1f-5b8e-9a3c-0f2d6e4b1a77</RequestId>',
    '</ErrorResponse>',
  ].join('\n'),
});

/**
 * The PublishCommandInput a Publish request carries, read back strictly: a parameter that is no member
 * of Publish, or a message attribute numbered out of order, fails the test rather than being dropped.
 * The members' names are lean-publish.ts's; the parity test holds its requests to the SDK's.
 */
export const publishInputOf = ({ action, parameters }: ReceivedQuery): PublishCommandInput => {
  if (action !== 'Publish') throw new Error(`not a Publish: ${action}`);
  const left = new Map(Object.entries(parameters));
  const take = (name: string): string | undefined => {
    const value = left.get(name);
    left.delete(name);
    return value;
  };
  take('Action');
  take('Version');
  const input: Record<string, unknown> = {};
  for (const member of PUBLISH_MEMBERS) {
    const value = take(member);
    if (value !== undefined) input[member] = value;
  }
  const attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> = {};
  for (let n = 1; left.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = take(`${prefix}.Name`) ?? '';
    const stringValue = take(`${prefix}.Value.StringValue`);
    const binaryValue = take(`${prefix}.Value.BinaryValue`);
    attributes[name] = {
      DataType: take(`${prefix}.Value.DataType`) ?? '',
      ...(stringValue === undefined ? {} : { StringValue: stringValue }),
      ...(binaryValue === undefined
        ? {}
        : { BinaryValue: new Uint8Array(Buffer.from(binaryValue, 'base64')) }),
    };
  }
  if (Object.keys(attributes).length > 0) input.MessageAttributes = attributes;
  if (left.size > 0) throw new Error(`parameters no Publish member reads: ${[...left.keys()].join(', ')}`);
  return input as unknown as PublishCommandInput;
};

/** The Publish inputs the fake received, in order. */
export const publishedInputs = (fake: FakeAwsQuery): PublishCommandInput[] =>
  fake.requests.filter((request) => request.action === 'Publish').map(publishInputOf);

/** What a function needs in its environment to publish to the fake (with fake-aws-services.ts's credentials). */
export const snsEndpointEnvironment = (fake: FakeAwsQuery): Readonly<Record<string, string>> => ({
  AWS_ENDPOINT_URL_SNS: fake.url,
});

/** Reads a form POST's parameters; a parameter sent twice is named, for the fake to refuse. */
const readQuery = ({ headers, text }: RawRequest): ReceivedQuery & { readonly twice: readonly string[] } => {
  const parameters: Record<string, string> = {};
  const twice: string[] = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in parameters) twice.push(name);
    parameters[name] = value;
  }
  return { action: parameters.Action ?? '', headers, parameters, twice };
};

/** The answer on the wire; a parameter sent twice is refused, as a service refuses a malformed request. */
const respond = (
  request: ReturnType<typeof readQuery>,
  answerOf: (request: ReceivedQuery) => FakeQueryAnswer,
): HttpAnswer => {
  const answer =
    request.twice.length > 0
      ? queryError(400, 'MalformedQueryString', `sent twice: ${request.twice.join(', ')}`)
      : answerOf(request);
  return answer === 'hang'
    ? 'hang'
    : { status: answer.status ?? 200, headers: { 'content-type': 'text/xml' }, text: answer.xml };
};

/** A query-protocol endpoint on loopback: records each request, answers a Publish `fake-<n>` until told otherwise. */
export const fakeAwsQuery = async (): Promise<FakeAwsQuery> => {
  let received = 0;
  const http = await fakeHttp(readQuery, (request) =>
    respond(request, () => publishAnswer(`fake-${++received}`)),
  );
  return { ...http, answer: (with_) => http.answer((request) => respond(request, with_)) };
};
