import type { IntrabarExitOut } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import {
  createPositionState,
  effectiveStop,
  evaluatePosition,
  openRisk,
  ratchetTrailingStop,
  type NewPositionState,
  type PositionState,
} from './position-state';

const DAY = 86_400_000;
const rule = { trailingStopPct: 0.02, trailingActivationPct: 0.02 };
const t0 = Date.UTC(2024, 0, 1);

function position(overrides: Partial<NewPositionState> = {}): PositionState {
  const side = overrides.side ?? 'long';
  const d = side === 'long' ? 1 : -1;
  return createPositionState(
    {
      symbol: 'X',
      side,
      quantity: 10,
      entryPrice: 100,
      entryTime: t0,
      entryBarIndex: -1,
      entryMark: 0,
      stopLoss: 100 * (1 - d * 0.03),
      takeProfit: 100 * (1 + d * 0.05),
      timeStopDays: 30,
      entryCommission: 0,
      entrySlippage: 0,
      ...overrides,
    },
    rule,
  );
}

const out: IntrabarExitOut = { price: Number.NaN };
function evaluate(s: PositionState, o: number, h: number, l: number, c: number, time = t0 + DAY, policy: 'stop_first' | 'target_first' | 'nearest_first' = 'stop_first') {
  const reason = evaluatePosition(s, o, h, l, c, time, rule, policy, out);
  return { reason, price: out.price };
}

describe('createPositionState', () => {
  it('starts with the entry as best price, no trailing stop and the time stop date', () => {
    const s = position();
    expect(s.direction).toBe(1);
    expect(s.extreme).toBe(100);
    expect(s.trailingStop).toBeNaN();
    expect(s.armPrice).toBeCloseTo(102, 12);
    expect(s.timeStopAt).toBe(t0 + 30 * DAY);
    expect(position({ side: 'short' }).armPrice).toBeCloseTo(98, 12);
    expect(position({ timeStopDays: null }).timeStopAt).toBe(Number.POSITIVE_INFINITY);
    expect(position({ stopLoss: null }).stopLoss).toBeNaN();
  });

  it('overwrites a spare state in place when given one, field for field as a fresh state', () => {
    const spare = position({ side: 'short', quantity: 3, entryPrice: 50, stopLoss: 52, takeProfit: 45 });
    ratchetTrailingStop(spare, 40, rule); // a used state: trailing armed, best price moved
    expect(spare.trailingStop).not.toBeNaN();
    const input: NewPositionState = {
      symbol: 'Y',
      side: 'long',
      quantity: 7,
      entryPrice: 200,
      entryTime: t0 + DAY,
      entryBarIndex: 12,
      entryMark: 5,
      stopLoss: 190,
      takeProfit: null,
      timeStopDays: 2,
      entryCommission: 0.5,
      entrySlippage: 0.25,
    };
    const reused = createPositionState(input, rule, spare);
    expect(reused).toBe(spare);
    expect({ ...reused }).toEqual({ ...createPositionState(input, rule) });
    expect(Object.keys(reused)).toEqual(Object.keys(createPositionState(input, rule)));
    expect(reused).toMatchObject({ symbol: 'Y', side: 'long', direction: 1, extreme: 200, initialStop: 190, timeStopAt: t0 + 3 * DAY });
    expect(reused.takeProfit).toBeNaN();
    expect(reused.trailingStop).toBeNaN();
  });
});

describe('evaluatePosition (long 10 @ 100, stop 97, target 105)', () => {
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
    expect(s.trailingStop).toBeCloseTo(101.92, 10);
    expect(effectiveStop(s)).toBeCloseTo(101.92, 10);
    // Bar 2: low 101.5 <= 101.92 -> trailing stop at its level.
    const r = evaluate(s, 103, 104.5, 101.5, 102);
    expect(r.reason).toBe('trailing_stop');
    expect(r.price).toBeCloseTo(101.92, 10);
  });

  it('never loosens the trailing stop and does not arm before the activation move', () => {
    const s = position();
    evaluate(s, 100, 101.9, 99, 101);
    expect(s.trailingStop).toBeNaN();
    evaluate(s, 101, 104, 100.5, 103);
    const level = s.trailingStop;
    evaluate(s, 103, 103.5, 102, 102.5); // lower high: no change
    expect(s.trailingStop).toBe(level);
    evaluate(s, 103, 104.5, 102.5, 104);
    expect(s.trailingStop).toBeCloseTo(104.5 * 0.98, 10);
  });

  it('time stop at the close once timeStopDays have passed, after the intrabar levels', () => {
    expect(evaluate(position(), 101, 102, 100, 101, t0 + 30 * DAY - 1).reason).toBeNull();
    expect(evaluate(position(), 101, 101.5, 100, 101, t0 + 30 * DAY)).toEqual({ reason: 'time_stop', price: 101 });
    expect(evaluate(position(), 101, 101.5, 96, 98, t0 + 30 * DAY)).toEqual({ reason: 'hard_stop', price: 97 });
  });
});

describe('evaluatePosition (short 10 @ 100, stop 103, target 95)', () => {
  const short = () => position({ side: 'short' });
  it('mirrors every rule', () => {
    expect(evaluate(short(), 101, 103.5, 100.5, 103.2)).toEqual({ reason: 'hard_stop', price: 103 });
    expect(evaluate(short(), 104, 105, 103.5, 104)).toEqual({ reason: 'hard_stop', price: 104 });
    expect(evaluate(short(), 99, 99.5, 94, 96)).toEqual({ reason: 'take_profit', price: 95 });
    expect(evaluate(short(), 94, 94.5, 93, 94)).toEqual({ reason: 'take_profit', price: 94 });
    expect(evaluate(short(), 100, 104, 94, 100)).toEqual({ reason: 'hard_stop', price: 103 });
    expect(evaluate(short(), 100, 104, 94, 100, t0 + DAY, 'target_first')).toEqual({ reason: 'take_profit', price: 95 });
    const s = short();
    expect(evaluate(s, 99, 99.5, 96, 96.5).reason).toBeNull();
    expect(s.trailingStop).toBeCloseTo(97.92, 10);
    const r = evaluate(s, 97, 98.2, 96.8, 98);
    expect(r.reason).toBe('trailing_stop');
    expect(r.price).toBeCloseTo(97.92, 10);
    expect(evaluate(short(), 99, 99.5, 98.5, 99, t0 + 30 * DAY)).toEqual({ reason: 'time_stop', price: 99 });
  });
});

describe('ratchetTrailingStop and openRisk', () => {
  it('ratchets from any observed price', () => {
    const s = position();
    ratchetTrailingStop(s, 103, rule);
    expect(s.extreme).toBe(103);
    expect(s.trailingStop).toBeCloseTo(100.94, 10);
    ratchetTrailingStop(s, 101, rule);
    expect(s.extreme).toBe(103);
  });

  it('measures the money at risk to the stop in force', () => {
    const s = position();
    s.lastPrice = 101;
    expect(openRisk(s)).toBeCloseTo(40, 10); // (101 - 97) x 10
    s.lastPrice = 96; // already through the stop
    expect(openRisk(s)).toBe(0);
    ratchetTrailingStop(s, 103, rule); // trailing 100.94 >= entry: locked in
    s.lastPrice = 102;
    expect(openRisk(s)).toBe(0);
    const short = position({ side: 'short' });
    short.lastPrice = 99;
    expect(openRisk(short)).toBeCloseTo(40, 10); // (103 - 99) x 10
    const naked = position({ stopLoss: null });
    naked.lastPrice = 110;
    expect(openRisk(naked)).toBe(1100);
  });
});
