/**
 * The rejected-events queue of a function behind an SQS buffer, as a dead-letter sink that loads the SQS
 * client (its module body and its construction) only when the first malformed event arrives: well-formed
 * events never need it. A small lever, measured A/B on customer-opt-out's bundle with valgrind's instruction
 * count (which the shared machine's load does not move): 746 -> 739 M instructions for a cold start, about
 * 1.5 ms (bench/levers.ts). The letter is sent exactly as SqsDeadLetterSink sends it.
 */
import type { DeadLetter, DeadLetterSink } from '#core/ports.js';

export const rejectedEventsQueue = (queueUrl: string): DeadLetterSink => {
  // One load per container; esbuild keeps the module in the function's single file, so the import cannot
  // fail for want of a file, and its body runs once.
  let sink: Promise<DeadLetterSink> | undefined;
  return {
    async put(letter: DeadLetter): Promise<void> {
      sink ??= import('./dead-letter-queue.js').then(
        ({ SqsDeadLetterSink, getSqsClient }) => new SqsDeadLetterSink(getSqsClient(), queueUrl),
      );
      await (await sink).put(letter);
    },
  };
};
