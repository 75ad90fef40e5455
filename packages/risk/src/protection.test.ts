import type { IntrabarExitOut, PositionInfo } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import {
  ProtectionPolicy,
  createProtectionState,
  effectiveStop,
  evaluateProtection,
  openRisk,
  type ProtectionRules,
  type ProtectionState,
} from './protection';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const RULES: ProtectionRules = { hardStopPct: 0.03, takeProfitPct: 0.05, trailingStopPct: 0.02, trailingActivationPct: 0.02, timeStopDays: 30 };
const policy = new ProtectionPolicy(RULES);

function position(side: 'long' | 'short' = 'long', rules: ProtectionRules = RULES): ProtectionState {
  const p = new ProtectionPolicy(rules);
  return createProtectionState(p, { symbol: 'X', side, entryPrice: 100, entryTime: t0, levels: p.levels(side, 100) });
}

const out: IntrabarExitOut = { price: Number.NaN };
function evaluate(s: ProtectionState, o: number, h: number, l: number, c: number, time = t0 + DAY, intrabar: 'stop_first' | 'target_first' | 'nearest_first' = 'stop_first') {
  const reason = evaluateProtection(s, { open: o, high: h, low: l, close: c, time }, intrabar, out);
  return { reason, price: out.price };
}

describe('ProtectionPolicy', () => {
  it('places the stop and target from the entry, mirrored for shorts, null when disabled', () => {
    expect(policy.levels('long', 100)).toEqual({ stopLoss: 97, takeProfit: 105 });
    expect(policy.levels('short', 100)).toEqual({ stopLoss: 103, takeProfit: 95 });
    const none = new ProtectionPolicy({ ...RULES, hardStopPct: null, takeProfitPct: null });
    expect(none.levels('long', 100)).toEqual({ stopLoss: null, takeProfit: null });
  });

  it('plans the trail (armed at +2%) and the time stop (30 calendar days)', () => {
    const plan = policy.plan('long', 100, t0);
    expect(plan).toMatchObject({ stopLoss: 97, takeProfit: 105, timeStopAt: t0 + 30 * DAY });
    expect(plan.trailing!.percent).toBe(0.02);
    expect(plan.trailing!.activationPrice).toBeCloseTo(102, 12);
    expect(policy.plan('short', 100, t0).trailing!.activationPrice).toBeCloseTo(98, 12);
    const off = new ProtectionPolicy({ ...RULES, trailingStopPct: null, timeStopDays: null });
    expect(off.plan('long', 100, t0)).toMatchObject({ trailing: null, timeStopAt: null });
  });
});

describe('evaluateProtection (long 10 @ 100, stop 97, target 105)', () => {
  it('starts with the entry as best price and no trail', () => {
    const s = position();
    expect(s).toMatchObject({ side: 'long', direction: -1, extreme: 100, stopLoss: 97, takeProfit: 105, timeStopAt: t0 + 30 * DAY });
    expect(s.trailLevel).toBeNaN();
    expect(s.activationPrice).toBeCloseTo(102, 12);
  });

  it('hard stop inside the bar fills at the stop; a gap fills at the open', () => {
    expect(evaluate(position(), 99, 99.5, 96, 96.5)).toEqual({ reason: 'hard_stop', price: 97 });
    expect(evaluate(position(), 95, 96, 94, 95.5)).toEqual({ reason: 'hard_stop', price: 95 });
  });

  it('take profit inside the bar and on a gap', () => {
    expect(evaluate(position(), 101, 106, 100.5, 104)).toEqual({ reason: 'take_profit', price: 105 });
    expect(evaluate(position(), 107, 108, 106, 107)).toEqual({ reason: 'take_profit', price: 107 });
  });

  it('both touched: the policy decides', () => {
    expect(evaluate(position(), 100, 106, 96, 100, t0 + DAY, 'stop_first')).toEqual({ reason: 'hard_stop', price: 97 });
    expect(evaluate(position(), 100, 106, 96, 100, t0 + DAY, 'target_first')).toEqual({ reason: 'take_profit', price: 105 });
    // nearest: |100 - 97| = 3 < |105 - 100| = 5
    expect(evaluate(position(), 100, 106, 96, 100, t0 + DAY, 'nearest_first')).toEqual({ reason: 'hard_stop', price: 97 });
    expect(evaluate(position(), 104, 106, 96, 100, t0 + DAY, 'nearest_first')).toEqual({ reason: 'take_profit', price: 105 });
  });

  it('arms the trailing stop from the high and applies it from the next bar only', () => {
    const s = position();
    // Bar 1: high 104 arms (>= 102); its low 99.5 is below the new trailing level but it is not in force yet.
    expect(evaluate(s, 100, 104, 99.5, 103.5).reason).toBeNull();
    expect(s.trailLevel).toBeCloseTo(101.92, 10);
    expect(effectiveStop(s)).toBeCloseTo(101.92, 10);
    // Bar 2: low 101.5 <= 101.92 -> trailing stop at its level.
    const r = evaluate(s, 103, 104.5, 101.5, 102);
    expect(r.reason).toBe('trailing_stop');
    expect(r.price).toBeCloseTo(101.92, 10);
  });

  it('never loosens the trailing stop and does not arm before the activation move', () => {
    const s = position();
    evaluate(s, 100, 101.9, 99, 101);
    expect(s.trailLevel).toBeNaN();
    evaluate(s, 101, 104, 100.5, 103);
    const level = s.trailLevel;
    evaluate(s, 103, 103.5, 102, 102.5); // lower high: no change
    expect(s.trailLevel).toBe(level);
    evaluate(s, 103, 104.5, 102.5, 104);
    expect(s.trailLevel).toBeCloseTo(104.5 * 0.98, 10);
  });

  it('time stop at the close once timeStopDays have passed, after the intrabar levels', () => {
    expect(evaluate(position(), 101, 102, 100, 101, t0 + 30 * DAY - 1).reason).toBeNull();
    expect(evaluate(position(), 101, 101.5, 100, 101, t0 + 30 * DAY)).toEqual({ reason: 'time_stop', price: 101 });
    expect(evaluate(position(), 101, 101.5, 96, 98, t0 + 30 * DAY)).toEqual({ reason: 'hard_stop', price: 97 });
  });
});

describe('evaluateProtection (short 10 @ 100, stop 103, target 95)', () => {
  const short = () => position('short');
  it('mirrors every rule', () => {
    expect(evaluate(short(), 101, 103.5, 100.5, 103.2)).toEqual({ reason: 'hard_stop', price: 103 });
    expect(evaluate(short(), 104, 105, 103.5, 104)).toEqual({ reason: 'hard_stop', price: 104 });
    expect(evaluate(short(), 99, 99.5, 94, 96)).toEqual({ reason: 'take_profit', price: 95 });
    expect(evaluate(short(), 94, 94.5, 93, 94)).toEqual({ reason: 'take_profit', price: 94 });
    expect(evaluate(short(), 100, 104, 94, 100)).toEqual({ reason: 'hard_stop', price: 103 });
    expect(evaluate(short(), 100, 104, 94, 100, t0 + DAY, 'target_first')).toEqual({ reason: 'take_profit', price: 95 });
    const s = short();
    expect(evaluate(s, 99, 99.5, 96, 96.5).reason).toBeNull();
    expect(s.trailLevel).toBeCloseTo(97.92, 10);
    const r = evaluate(s, 97, 98.2, 96.8, 98);
    expect(r.reason).toBe('trailing_stop');
    expect(r.price).toBeCloseTo(97.92, 10);
    expect(evaluate(short(), 99, 99.5, 98.5, 99, t0 + 30 * DAY)).toEqual({ reason: 'time_stop', price: 99 });
  });
});

describe('openRisk', () => {
  const info = (p: Partial<PositionInfo>): PositionInfo => ({
    symbol: 'X',
    side: 'long',
    quantity: 10,
    entryPrice: 100,
    entryTime: t0,
    lastPrice: 101,
    stopPrice: 97,
    ...p,
  });

  it('measures the money at risk to the stop in force', () => {
    expect(openRisk(info({}))).toBeCloseTo(40, 10); // (101 - 97) x 10
    expect(openRisk(info({ lastPrice: 96 }))).toBe(0); // already through the stop
    expect(openRisk(info({ stopPrice: 100.94, lastPrice: 102 }))).toBe(0); // trail locked in break-even
    expect(openRisk(info({ side: 'short', stopPrice: 103, lastPrice: 99 }))).toBeCloseTo(40, 10); // (103 - 99) x 10
    expect(openRisk(info({ stopPrice: Number.NaN, lastPrice: 110 }))).toBe(1100);
  });
});
