/**
 * The task routing flow (type CONTACT_FLOW) that StartTaskContact runs for every peakline task: cart
 * callbacks (to the callback queue) and payment issues (to the accounting queue).
 *
 * StartTaskContact takes no queue, so the Connect adapter puts the target queue's id or ARN in the
 * contact attribute `peaklineQueueId` ({@link TASK_QUEUE_ATTRIBUTE}); this flow makes it the working
 * queue and transfers the task there.
 *
 * When that fails (attribute missing, queue deleted, queue full) the task goes to the callback queue,
 * marked `peaklineTaskRouting=fallback`. The callback queue is the safe default for both kinds: its
 * voice agents can call out, work any task and transfer it on, whereas a cart callback landing with
 * the light agents of the accounting queue could not be worked at all (they may not dial out). Only
 * if the callback queue refuses it too is the task ended, marked `unrouted` so that a contact search
 * finds it; flow logs have the rest.
 */
import { TASK_QUEUE_ATTRIBUTE } from '#adapters/connect/contact-centre.js';
import type { QueueKey } from '../contact-centre-model.js';
import { FlowBuilder, type FlowDocument } from './builder.js';

/** The contact attribute that says how the task was routed, when not as asked. */
export const TASK_ROUTING_ATTRIBUTE = 'peaklineTaskRouting';

export interface TaskRoutingFlowInput {
  /** The fallback queue's ARN. */
  readonly queueArns: Readonly<Pick<Record<QueueKey, string>, 'callback'>>;
}

type Step =
  | 'EnableLogging'
  | 'SetTaskQueue'
  | 'TransferTask'
  | 'SetFallbackQueue'
  | 'MarkFallback'
  | 'TransferToFallback'
  | 'MarkUnrouted'
  | 'EndTask';

export const taskRoutingFlow = (input: TaskRoutingFlowInput): FlowDocument => {
  const flow = new FlowBuilder<Step>();
  flow.add(
    'EnableLogging',
    'UpdateFlowLoggingBehavior',
    { FlowLoggingBehavior: 'Enabled' },
    { next: 'SetTaskQueue' },
  );
  flow.add(
    'SetTaskQueue',
    'UpdateContactTargetQueue',
    { QueueId: `$.Attributes.${TASK_QUEUE_ATTRIBUTE}` },
    { next: 'TransferTask', onError: { NoMatchingError: 'SetFallbackQueue' } },
  );
  flow.add(
    'TransferTask',
    'TransferContactToQueue',
    {},
    {
      next: 'SetFallbackQueue',
      onError: { QueueAtCapacity: 'SetFallbackQueue', NoMatchingError: 'SetFallbackQueue' },
    },
  );
  flow.add(
    'SetFallbackQueue',
    'UpdateContactTargetQueue',
    { QueueId: input.queueArns.callback },
    { next: 'MarkFallback', onError: { NoMatchingError: 'MarkUnrouted' } },
  );
  flow.add(
    'MarkFallback',
    'UpdateContactAttributes',
    { Attributes: { [TASK_ROUTING_ATTRIBUTE]: 'fallback' } },
    { next: 'TransferToFallback', onError: { NoMatchingError: 'TransferToFallback' } },
  );
  flow.add(
    'TransferToFallback',
    'TransferContactToQueue',
    {},
    { next: 'MarkUnrouted', onError: { QueueAtCapacity: 'MarkUnrouted', NoMatchingError: 'MarkUnrouted' } },
  );
  flow.add(
    'MarkUnrouted',
    'UpdateContactAttributes',
    { Attributes: { [TASK_ROUTING_ATTRIBUTE]: 'unrouted' } },
    { next: 'EndTask', onError: { NoMatchingError: 'EndTask' } },
  );
  // A task has no participant to hang up on; Connect treats this as the end of the flow.
  flow.end('EndTask', 'DisconnectParticipant');
  return flow.build('EnableLogging');
};
