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
 * The stored form of a number a feature must recognise but never needs to dial (the suppression
 * list). A plain hash, not a secret-keyed one: it keeps numbers out of table exports and consoles, but
 * is a pseudonym, not anonymisation, and is handled as personal data.
 */
export const phoneHash = (e164: string): string =>
  createHash('sha256').update(`peakline:phone:${e164}`).digest('base64url');
