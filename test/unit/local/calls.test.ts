import { describe, expect, it } from 'vitest';
import { inboundOutcomeOf, parseCallRequest } from '#local/calls.js';
import type { PlayedCall } from '#local/flow-player.js';
import { RefusedBody } from '#local/http/dashboard-endpoint.js';

const played = (call: Partial<PlayedCall>): PlayedCall => ({
  prompts: [],
  keys: '',
  outcome: 'queued',
  attributes: {},
  actions: [],
  ...call,
});

describe('the body of POST /api/calls', () => {
  it('takes a caller in E.164 and optional keys', () => {
    // Act / Assess
    expect(parseCallRequest({ from: '+48601234567' })).toEqual({ from: '+48601234567' });
    expect(parseCallRequest({ from: '+48601234567', keys: '1-2*#' })).toEqual({
      from: '+48601234567',
      keys: '1-2*#',
    });
  });

  it.each([
    ['a body that is no object', ['+48601234567'], /^expected a JSON object such as/],
    ['no number', { keys: '1' }, /^from: required, but missing/],
    ['a national number', { from: '601234567' }, /^from: expected the caller number in E\.164/],
    ['a letter among the keys', { from: '+48601234567', keys: '1a' }, /^keys: expected keys of the keypad/],
    [
      'more keys than any path takes',
      { from: '+48601234567', keys: '1'.repeat(33) },
      /^keys: expected at most 32/,
    ],
    ['a field it does not know', { from: '+48601234567', key: '1' }, /key/],
  ])('refuses %s with a 400 that says what to change', (_name, body, message) => {
    // Act / Assess
    expect(() => parseCallRequest(body)).toThrow(RefusedBody);
    expect(() => parseCallRequest(body)).toThrow(message);
  });
});

describe('inboundOutcomeOf: a played call in the dashboard counts', () => {
  it.each([
    ['contained', played({ outcome: 'contained' }), 'contained'],
    [
      'the tracking link',
      played({ outcome: 'sms-sent', attributes: { peaklineOrderOutcome: 'sms' } }),
      'sms-sent',
    ],
    ['the deflection SMS', played({ outcome: 'sms-sent', attributes: { peaklineDeflection: 'sms' } }), 'sms'],
    ['a callback', played({ outcome: 'callback', queue: 'callback' }), 'callback'],
    ['queued', played({ outcome: 'queued', queue: 'primary' }), 'queued'],
    ['the second line', played({ outcome: 'queued', queue: 'secondLine' }), 'overflowed'],
    [
      'kept waiting after the menu',
      played({ outcome: 'queued', queue: 'primary', attributes: { peaklineDeflection: 'wait' } }),
      'kept-waiting',
    ],
    ['hung up before anything', played({ outcome: 'hung-up' }), undefined],
  ])('%s', (_name, call, outcome) => {
    // Act / Assess
    expect(inboundOutcomeOf(call)).toBe(outcome);
  });
});
