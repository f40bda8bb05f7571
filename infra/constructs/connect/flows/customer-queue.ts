/**
 * The customer queue flow (type CUSTOMER_QUEUE): what a caller hears while waiting.
 *
 *   estimated wait (Get queue metrics, voice channel) -> announced in bands
 *   -> hold loop (music, or a short thank-you with pauses) interrupted every `announceEverySeconds`
 *   -> announced again, and so on until an agent answers.
 *
 * A failure anywhere leads to the plain hold loop, never out of the flow: leaving a customer queue flow
 * leaves the caller in the queue with nothing to hear.
 */
import {
  FlowBuilder,
  type FlowDocument,
  type Message,
  equals,
  numberAtLeast,
  numberBelow,
} from './builder.js';
import { FLOW_PROMPTS, type FlowLanguage } from './prompts.js';

/** The estimated wait's bands, in seconds: under a minute, a few minutes, up to ten, more. */
export const WAIT_BANDS_SECONDS = { aMinute: 60, aFewMinutes: 300, tenMinutes: 600 } as const;

/**
 * Where Get queue metrics puts the queue's estimated wait time, in seconds. Connect only returns it
 * when the metrics are asked for one channel, hence QueueChannel Voice below.
 */
export const ESTIMATED_WAIT_TIME = '$.Metrics.Queue.EstimatedWaitTime';

export interface CustomerQueueFlowInput {
  /** @default 'pl-PL' */
  readonly language?: FlowLanguage;
  /**
   * Seconds between two announcements of the estimated wait.
   * @default 60
   */
  readonly announceEverySeconds?: number;
  /**
   * ARN of a Connect prompt (hold music) to loop between the announcements.
   * @default - a short spoken thank-you followed by pauses
   */
  readonly holdPromptArn?: string;
}

type Step =
  | 'SetVoice'
  | 'GetQueueMetrics'
  | 'CheckEstimatedWait'
  | 'WaitUnderAMinute'
  | 'WaitAFewMinutes'
  | 'WaitUpToTenMinutes'
  | 'WaitOverTenMinutes'
  | 'ThanksForWaiting'
  | 'Hold'
  | 'EndFlow';

export const customerQueueFlow = (input: CustomerQueueFlowInput = {}): FlowDocument => {
  const say = FLOW_PROMPTS[input.language ?? 'pl-PL'];
  const every = input.announceEverySeconds ?? 60;
  if (!Number.isInteger(every) || every < 10) {
    throw new Error(`announceEverySeconds must be a whole number of seconds >= 10, got ${every}`);
  }
  const flow = new FlowBuilder<Step>();

  // The voice is a property of the contact; set again so this flow speaks the right language even when
  // a contact reaches the queue by another inbound flow than peakline's.
  flow.add(
    'SetVoice',
    'UpdateContactTextToSpeechVoice',
    { TextToSpeechVoice: say.voice.voice, TextToSpeechEngine: say.voice.engine },
    { next: 'GetQueueMetrics', onError: { NoMatchingError: 'GetQueueMetrics' } },
  );
  // No QueueId: the metrics of the queue the contact waits in.
  flow.add(
    'GetQueueMetrics',
    'GetMetricData',
    { QueueChannel: 'Voice' },
    { next: 'CheckEstimatedWait', onError: { NoMatchingError: 'Hold' } },
  );
  // A missing estimate is not a number, so no band matches and the caller is simply thanked.
  flow.add(
    'CheckEstimatedWait',
    'Compare',
    { ComparisonValue: ESTIMATED_WAIT_TIME },
    {
      next: 'ThanksForWaiting',
      when: [
        numberBelow(WAIT_BANDS_SECONDS.aMinute, 'WaitUnderAMinute'),
        numberBelow(WAIT_BANDS_SECONDS.aFewMinutes, 'WaitAFewMinutes'),
        numberBelow(WAIT_BANDS_SECONDS.tenMinutes, 'WaitUpToTenMinutes'),
        numberAtLeast(WAIT_BANDS_SECONDS.tenMinutes, 'WaitOverTenMinutes'),
      ],
      onError: { NoMatchingCondition: 'ThanksForWaiting' },
    },
  );
  for (const [id, text] of [
    ['WaitUnderAMinute', say.waitUnderAMinute],
    ['WaitAFewMinutes', say.waitAFewMinutes],
    ['WaitUpToTenMinutes', say.waitUpToTenMinutes],
    ['WaitOverTenMinutes', say.waitOverTenMinutes],
    ['ThanksForWaiting', say.thanksForWaiting],
  ] as const) {
    flow.add(
      id,
      'MessageParticipant',
      { Text: text },
      { next: 'Hold', onError: { NoMatchingError: 'Hold' } },
    );
  }
  const hold: Message =
    input.holdPromptArn === undefined ? { SSML: say.holdMessage } : { PromptId: input.holdPromptArn };
  flow.add(
    'Hold',
    'MessageParticipantIteratively',
    { Messages: [hold], InterruptFrequencySeconds: `${every}` },
    {
      next: 'GetQueueMetrics',
      when: [equals('MessagesInterrupted', 'GetQueueMetrics')],
      // The loop failing means prompts cannot be played at all (e.g. a chat contact): stop trying.
      onError: { NoMatchingError: 'EndFlow' },
    },
  );
  flow.end('EndFlow', 'EndFlowExecution');

  return flow.build('SetVoice');
};
