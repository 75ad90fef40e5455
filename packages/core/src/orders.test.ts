import { describe, expect, it } from 'vitest';
import { ORDER_ROLES, exitReasonOfRole } from './orders';
import { EXIT_REASONS } from './types';

describe('exitReasonOfRole', () => {
  it.each([
    ['stop_loss', false, 'hard_stop'],
    ['stop_loss', true, 'trailing_stop'],
    ['take_profit', false, 'take_profit'],
    ['time_stop', false, 'time_stop'],
    ['emergency', false, 'emergency'],
    ['end_of_data', false, 'end_of_data'],
    ['delisted', false, 'delisted'],
    ['exit', false, 'signal'],
    ['entry', false, 'signal'],
    ['order', false, 'order'],
  ] as const)('maps the role %s (trailing %s) to the exit reason %s', (role, trailing, reason) => {
    expect(exitReasonOfRole(role, trailing)).toBe(reason);
  });

  it('covers every role with a known exit reason', () => {
    for (const role of ORDER_ROLES) expect(EXIT_REASONS).toContain(exitReasonOfRole(role, false));
  });
});
