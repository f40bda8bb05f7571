/**
 * The rejected-events queue of a function behind an SQS buffer, as a dead-letter sink whose SQS client is
 * built only when the first malformed event arrives: well-formed events never need it. The letter is sent
 * exactly as SqsDeadLetterSink sends it.
 *
 * The module used to be loaded by a dynamic import, when it carried @aws-sdk/client-sqs (a lever measured
 * with valgrind on customer-opt-out: 746 -> 739 M instructions, bench/levers.ts). On the signed JSON
 * request it is a few hundred bytes over the client the DynamoDB calls load anyway, so a plain import.
 */
import type { DeadLetter, DeadLetterSink } from '#core/ports.js';
import { getSqsClient, SqsDeadLetterSink } from './dead-letter-queue.js';

export const rejectedEventsQueue = (queueUrl: string): DeadLetterSink => {
  let sink: DeadLetterSink | undefined;
  return {
    async put(letter: DeadLetter): Promise<void> {
      sink ??= new SqsDeadLetterSink(getSqsClient(), queueUrl);
      await sink.put(letter);
    },
  };
};
