/**
 * PutEvents through the SDK's EventBridge client, for the CLIs (not for a deployed function, which uses
 * lean-put-events.ts): an operator's credentials come through the SDK's whole chain (profiles, SSO).
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsSender } from './event-publisher.js';

export const sdkPutEvents =
  (client: EventBridgeClient): PutEventsSender =>
  (input) =>
    client.send(new PutEventsCommand({ Entries: [...input.Entries] }));
