import { describe, expect, it } from 'vitest';
import { maskPhone, phoneHash } from '#core/phone.js';

describe('maskPhone', () => {
  it.each([
    ['+48601234567', '+48*****4567'],
    ['+358401234567', '+35******4567'],
    ['+79161234567', '+79*****4567'],
    ['+1234567', '+***4567'],
    ['601 234 567', '***'],
    ['', '***'],
  ])('%s -> %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('never shows more than the country code and the last four digits', () => {
    const masked = maskPhone('+48601234567');
    expect(masked).not.toContain('60123');
    expect(masked.length).toBe('+48601234567'.length);
  });
});

describe('phoneHash', () => {
  it('is stable for a number and differs between numbers', () => {
    expect(phoneHash('+48601234567')).toBe(phoneHash('+48601234567'));
    expect(phoneHash('+48601234567')).not.toBe(phoneHash('+48601234568'));
    expect(phoneHash('+48601234567')).not.toContain('601234567');
  });
});
