/**
 * The PutEvents of a deployed function, built once per execution environment and shared by every
 * invocation (its kept connection with it). The endpoint can be overridden as the SDK's can, through
 * `AWS_ENDPOINT_URL_EVENTBRIDGE` / `AWS_ENDPOINT_URL` (the tests and the bench point it at a fake).
 * A module of its own, so that a function that publishes facts bundles nothing else.
 */
import type { PutEventsSender } from './event-publisher.js';
import { eventBridgeJsonClient, putEventsOver } from './lean-put-events.js';

let putEvents: PutEventsSender | undefined;

export const getPutEvents = (): PutEventsSender => {
  putEvents ??= putEventsOver(eventBridgeJsonClient());
  return putEvents;
};
