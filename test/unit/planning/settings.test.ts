import { describe, expect, it } from 'vitest';
import { scheduledSeats, wholeUp } from '#core/planning/settings.js';

describe('scheduled seats', () => {
  it('rounds up to whole seats, without floating-point dust adding one', () => {
    // Act / Assess: 14 agents at 30% shrinkage, Call Centre Helper's worked example, are 20 seats.
    expect(scheduledSeats(14, 0.3)).toBe(20);
    expect(scheduledSeats(14, 0.31)).toBe(21);
    expect(scheduledSeats(7, 0)).toBe(7);
    expect(scheduledSeats(0, 0.3)).toBe(0);
  });

  it('counts a fraction of a seat above the dust as a whole seat', () => {
    // Act / Assess
    expect(wholeUp(3.0000000000004)).toBe(3);
    expect(wholeUp(3.001)).toBe(4);
    expect(wholeUp(-0.5)).toBe(0);
  });
});
