import { createHash } from 'node:crypto';
import type { FakeAnswer, FakeAwsJson, ReceivedRequest } from './fake-aws-json.js';

/** The MD5 SQS answers for a message body (hex), which the senders check. */
export const md5OfBody = (body: string): string => createHash('md5').update(body, 'utf8').digest('hex');

/** SendMessage's success as SQS answers it, the body's MD5 included. */
export const sqsSent = (request: ReceivedRequest, messageId = 'm-1'): FakeAnswer => ({
  body: { MessageId: messageId, MD5OfMessageBody: md5OfBody(String(request.body.MessageBody ?? '')) },
});

/**
 * Answers SQS's SendMessage as SQS does and Secrets Manager's GetSecretValue with the secrets given (by
 * SecretId); anything else, and an unknown secret, as the services would refuse it.
 */
export const answerSqsAndSecrets = (
  fake: FakeAwsJson,
  secrets: Readonly<Record<string, string>> = {},
): void => {
  let sent = 0;
  fake.answer((request) => {
    if (request.operation === 'SendMessage') return sqsSent(request, `m-${++sent}`);
    if (request.operation === 'GetSecretValue') {
      const value = secrets[String(request.body.SecretId)];
      return value === undefined
        ? {
            status: 400,
            body: {
              __type: 'ResourceNotFoundException',
              message: "Secrets Manager can't find the specified secret.",
            },
          }
        : { body: { ARN: request.body.SecretId, SecretString: value } };
    }
    return { status: 400, body: { __type: 'UnknownOperationException', message: request.operation } };
  });
};

/** The SendMessage requests' bodies (QueueUrl, MessageBody, MessageAttributes) the fake received, in order. */
export const sendMessageRequests = (fake: FakeAwsJson): ReceivedRequest['body'][] =>
  fake.requests.filter((r) => r.operation === 'SendMessage').map((r) => r.body);
