/**
 * Phone numbers are the most sensitive thing peakline handles: they are masked before any log line,
 * and hashed before they are stored where a feature only needs to recognise them again.
 */
import { createHash } from 'node:crypto';

/**
 * `+48601234567` -> `+48*****4567`: enough for ops to tell two numbers apart in a log, not enough to
 * call anyone. Anything that is not a plausible number is masked whole.
 */
export const maskPhone = (phone: string): string => {
  if (!/^\+\d{7,15}$/.test(phone)) return '***';
  const visibleTail = 4;
  const visibleHead = Math.min(3, phone.length - visibleTail - 3);
  const hidden = phone.length - visibleHead - visibleTail;
  return `${phone.slice(0, visibleHead)}${'*'.repeat(hidden)}${phone.slice(-visibleTail)}`;
};

/**
 * The digest of a number a feature must recognise but never needs to dial (the suppression list). It is
 * unkeyed, so anyone can compute it for every number of a country: it never leaves memory as it is. The
 * suppression store keys it with a secret (HMAC, `keyedPhoneHash` in the adapter) before storing it, so
 * a table export or a backup cannot be reversed by enumeration. Handle it as personal data; never log it.
 */
export const phoneHash = (e164: string): string =>
  createHash('sha256').update(`peakline:phone:${e164}`).digest('base64url');
