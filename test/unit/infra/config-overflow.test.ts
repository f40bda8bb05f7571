import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#infra/config/load.js';

describe('stage configuration: how overflow judges the waits and shares the callers', () => {
  it('defaults to 300 s calls, 180 s patience, a 60 s margin, half the callers at most, a 2-minute dwell and a 20 s assist delay', () => {
    // Act
    const config = parseConfig('x', {});

    // Assess
    expect(config.overflow).toMatchObject({
      handlingSeconds: 300,
      patienceSeconds: 180,
      secondLineMarginSeconds: 60,
      secondLineMaxShare: 0.5,
      minDwellSeconds: 120,
      secondLineAssistDelaySeconds: 20,
    });
  });

  it("takes a shop's own staffing figures", () => {
    // Prepare
    const overflow = {
      handlingSeconds: 420,
      patienceSeconds: 600,
      secondLineMarginSeconds: 0,
      secondLineMaxShare: 1,
      minDwellSeconds: 0,
      secondLineAssistDelaySeconds: 45,
    };

    // Act
    const config = parseConfig('x', { overflow });

    // Assess
    expect(config.overflow).toMatchObject(overflow);
  });

  it.each([
    [
      { secondLineMaxShare: 0 },
      'overflow.secondLineMaxShare: expected a share of the callers above 0 (some of them) and at most 1 (all of them), e.g. 0.5 (got 0)',
    ],
    [
      { secondLineMaxShare: 1.5 },
      'overflow.secondLineMaxShare: expected a share of the callers above 0 (some of them) and at most 1 (all of them), e.g. 0.5 (got 1.5)',
    ],
    [{ handlingSeconds: 5 }, 'overflow.handlingSeconds: expected at least 10 (got 5)'],
    [{ handlingSeconds: 299.5 }, 'overflow.handlingSeconds: expected a whole number'],
    [{ patienceSeconds: 3601 }, 'overflow.patienceSeconds: expected at most 3600 (got 3601)'],
    [{ secondLineMarginSeconds: -1 }, 'overflow.secondLineMarginSeconds: expected at least 0 (got -1)'],
    [{ minDwellSeconds: 3601 }, 'overflow.minDwellSeconds: expected at most 3600 (got 3601)'],
    [{ secondLineAssistDelaySeconds: 601 }, 'overflow.secondLineAssistDelaySeconds: expected at most 600'],
    [{ handlingSecs: 300 }, 'overflow.handlingSecs: unknown setting'],
  ])('refuses %j, naming the key and what it takes', (overflow, message) => {
    // Act
    const parse = () => parseConfig('prod', { overflow });

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });

  it('refuses a dwell longer than ten patiences, saying a second surge would go unanswered', () => {
    // Act
    const parse = () => parseConfig('prod', { overflow: { patienceSeconds: 60, minDwellSeconds: 601 } });

    // Assess
    expect(parse).toThrow(
      'overflow.minDwellSeconds: minDwellSeconds must be at most 10 × patienceSeconds: the dwell also holds NORMAL after a return, so a longer one leaves a second surge without overflow or deflection while its callers hang up',
    );
  });

  it('takes a dwell of exactly ten patiences', () => {
    // Act
    const config = parseConfig('prod', { overflow: { patienceSeconds: 60, minDwellSeconds: 600 } });

    // Assess
    expect(config.overflow.minDwellSeconds).toBe(600);
  });
});
