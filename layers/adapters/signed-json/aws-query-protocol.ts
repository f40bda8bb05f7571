/**
 * The AWS query protocol (SNS, among the services peakline calls) for the signed client
 * (aws-json-client.ts's AwsSignedClient): every operation a form POST to `/` (`Action`, `Version`, then the
 * input's members flattened into parameters), the answer XML: `<OpResponse><OpResult>…` or
 * `<ErrorResponse><Error><Code>…`.
 *
 * How an input's members flatten (a map's `entry.N.Name`, a list's `member.N`) depends on the service's
 * shapes, which this file does not know: the service's adapter lays its operations out (`parameters`).
 * It reads the result's simple members (text elements), which is what the operations peakline calls
 * answer; a structured member is left out rather than guessed.
 */
import {
  AwsServiceError,
  type AwsProtocol,
  isRetryableAnswer,
  type ProtocolResponse,
} from './aws-json-client.js';
import { childElement, childText, parseXml, type XmlElement } from './xml-reader.js';

/** An operation's parameters, in the order they are sent (names as the API spells them). */
export type QueryParameters = ReadonlyArray<readonly [name: string, value: string]>;

export interface AwsQueryProtocolOptions {
  /** The API version every request names (`2010-03-31` for SNS). */
  readonly version: string;
  /** Lays an operation's input out as its parameters (after `Action` and `Version`). */
  readonly parameters: (operation: string, input: object) => QueryParameters;
  /**
   * The error's name for the code the service answered: SNS answers `InvalidParameter` and the SDK throws
   * an `InvalidParameterException`, so the adapters tell errors apart by the SDK's names.
   * @default the code itself
   */
  readonly errorName?: (code: string) => string;
}

/** As the SDK encodes a query: encodeURIComponent, and `!'()*` too (RFC 3986's reserved characters). */
const encodeParameter = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The form body of a query request. */
export const formBody = (parameters: QueryParameters): string =>
  parameters.map(([name, value]) => `${encodeParameter(name)}=${encodeParameter(value)}`).join('&');

const parsed = (text: string): XmlElement | undefined => {
  try {
    return parseXml(text);
  } catch {
    return undefined;
  }
};

/** The result's simple members, by name, as text (as the query protocol carries every scalar). */
const resultMembers = (result: XmlElement | undefined): Record<string, unknown> =>
  Object.fromEntries(
    (result?.children ?? [])
      .filter((member) => member.children.length === 0)
      .map((member) => [member.name, member.text]),
  );

/** What a query-protocol attempt came back with: the result's members, or an error with whether to try again. */
export const queryAnswer = (
  operation: string,
  { statusCode: status, text, requestId: headerRequestId }: ProtocolResponse,
  errorName: (code: string) => string = (code) => code,
): Record<string, unknown> => {
  const document = parsed(text);
  if (status >= 200 && status < 300) {
    if (document?.name === `${operation}Response`) {
      return resultMembers(childElement(document, `${operation}Result`));
    }
    // The service acted (a 2xx), but what it answered cannot be read: not worth another attempt, which
    // would act twice.
    throw new AwsServiceError(
      'SerializationError',
      `${operation}: the answer is not its XML: ${text.slice(0, 100)}`,
      { statusCode: status, retryable: false, ...(headerRequestId ? { requestId: headerRequestId } : {}) },
    );
  }
  const error = document?.name === 'ErrorResponse' ? childElement(document, 'Error') : undefined;
  const code = (error && childText(error, 'Code')) || 'UnknownError';
  const requestId = (document && childText(document, 'RequestId')) || headerRequestId;
  const name = errorName(code);
  throw new AwsServiceError(
    name,
    (error && childText(error, 'Message')) || `HTTP ${status}${error ? '' : `: ${text.slice(0, 100)}`}`,
    {
      statusCode: status,
      retryable: isRetryableAnswer(status, code) || isRetryableAnswer(status, name),
      ...(requestId ? { requestId } : {}),
    },
  );
};

/** The query protocol of one service (its version, how its inputs are laid out, its errors' names). */
export const awsQueryProtocol = ({
  version,
  parameters,
  errorName,
}: AwsQueryProtocolOptions): AwsProtocol => ({
  request: (operation, input) => ({
    method: 'POST',
    path: '/',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: formBody([['Action', operation], ['Version', version], ...parameters(operation, input)]),
  }),
  answer: (operation, response) => queryAnswer(operation, response, errorName),
});
