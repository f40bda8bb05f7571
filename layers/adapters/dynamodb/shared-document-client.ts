/**
 * The document client of a deployed function, built once per execution environment and shared by every
 * invocation (its kept connection with it). The endpoint can be overridden as the SDK's can, through
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL` (the bench points it at its fake AWS).
 */
import type { DocumentClient } from './document-client.js';
import { LeanDocumentClient } from './lean-document-client.js';

let documentClient: DocumentClient | undefined;

export const getDocumentClient = (): DocumentClient => {
  documentClient ??= new LeanDocumentClient();
  return documentClient;
};
