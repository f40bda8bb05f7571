import { createHmac } from 'node:crypto';

/** Marks a keyed entry (and the key's scheme), so it can never be mistaken for a legacy digest. */
const KEYED_PREFIX = 'k1.';

/**
 * The stored key of a phone: HMAC-SHA256 under the secret key, over the core's digest of the number.
 *
 * Why this is a keyed hash of the phone, and sound: the core's digest is SHA-256 of the number (with a
 * fixed prefix), a deterministic function that is, for all practical purposes, one-to-one; an HMAC of it
 * under a secret key is therefore a keyed pseudorandom function of the number itself. Someone holding
 * the table (an export, a backup, a console) can still compute the digest of every number in a country,
 * but without the key cannot compute the HMAC of any of them, so can neither enumerate nor test a
 * candidate. The plain digest exists only in memory between the core and this adapter; it is never
 * stored (legacy entries of the suppression list aside, see `legacyReadsUntil` in suppression-store.ts)
 * nor logged. Here, without the SDK, for the readers that do without it (the order lookup).
 */
export const keyedPhoneHash = (key: Buffer, digest: string): string =>
  `${KEYED_PREFIX}${createHmac('sha256', key).update(digest, 'utf8').digest('base64url')}`;
