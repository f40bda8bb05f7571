/**
 * The one SNS call peakline makes, Publish, as a port: the adapters (sms-sender.ts, ops-notifier.ts) send
 * the SDK's PublishCommandInput through it, whichever client carries it. Deployed functions get the signed
 * query request (lean-publish.ts, through shared-publish.ts), and so does the local stack; the adapters'
 * unit tests (aws-sdk-client-mock) and any operator tool carry it on the SDK's client (sdk-publish.ts). The
 * SDK's types only: nothing of the SDK is loaded with this module.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';

export type { PublishCommandInput } from '@aws-sdk/client-sns';

/** Publish's answer, the member peakline reads. */
export interface PublishAnswer {
  readonly MessageId?: string | undefined;
}

export type SnsPublish = (input: PublishCommandInput) => Promise<PublishAnswer>;

/**
 * One attempt per Publish, whichever client carries it: a Publish whose answer was lost (a timeout, a 5xx
 * after SNS took the message) retried by the client would send the SMS twice. Retries go through the
 * queue, after the ledger has said whether the SMS may go again.
 */
export const SNS_MAX_ATTEMPTS = 1;
