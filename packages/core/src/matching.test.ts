import { describe, expect, it } from 'vitest';
import {
  LevelKind,
  executesAt,
  executesAtClose,
  executesAtOpen,
  firstMoveDown,
  pathDistance,
  ratchetTrail,
  reachedGoingDown,
  stopInForce,
  touches,
  trailGoverns,
  type LevelKindCode,
  type RestingLevel,
  type Trail,
} from './matching';

const BUY = 1;
const SELL = -1;
const at = (kind: LevelKindCode, direction: 1 | -1, level: number): RestingLevel => ({ kind, direction, level });
const bar = (open: number, high: number, low: number, close = open) => ({ open, high, low, close });

describe('levels', () => {
  it('buy limits and sell stops sit below the price, sell limits and buy stops above', () => {
    expect(reachedGoingDown(LevelKind.LIMIT, BUY)).toBe(true);
    expect(reachedGoingDown(LevelKind.STOP, SELL)).toBe(true);
    expect(reachedGoingDown(LevelKind.LIMIT, SELL)).toBe(false);
    expect(reachedGoingDown(LevelKind.STOP, BUY)).toBe(false);
  });

  it('executes at a price on the right side of the level, the level itself included', () => {
    expect(executesAt(at(LevelKind.LIMIT, BUY, 99), 98.5)).toBe(true); // buy limit 99, open 98.5: better
    expect(executesAt(at(LevelKind.LIMIT, BUY, 99), 99)).toBe(true);
    expect(executesAt(at(LevelKind.LIMIT, BUY, 99), 99.01)).toBe(false);
    expect(executesAt(at(LevelKind.LIMIT, SELL, 101), 101.5)).toBe(true);
    expect(executesAt(at(LevelKind.STOP, BUY, 105), 106)).toBe(true); // buy stop gapped through
    expect(executesAt(at(LevelKind.STOP, BUY, 105), 104.99)).toBe(false);
    expect(executesAt(at(LevelKind.STOP, SELL, 95), 94)).toBe(true);
    expect(executesAt(at(LevelKind.STOP, SELL, Number.NaN), 94)).toBe(false); // no level
    expect(executesAtOpen(at(LevelKind.STOP, SELL, 95), bar(94, 96, 93, 95.5))).toBe(true);
    expect(executesAtClose(at(LevelKind.STOP, SELL, 95), bar(94, 96, 93, 95.5))).toBe(false);
  });

  it('touches a level inside the range from the low or the high', () => {
    expect(touches(at(LevelKind.LIMIT, BUY, 99), bar(101, 103, 99))).toBe(true);
    expect(touches(at(LevelKind.LIMIT, BUY, 99), bar(101, 103, 99.2))).toBe(false);
    expect(touches(at(LevelKind.STOP, BUY, 103), bar(101, 103, 99))).toBe(true);
    expect(touches(at(LevelKind.LIMIT, SELL, 103.5), bar(101, 103, 99))).toBe(false);
    expect(touches(at(LevelKind.STOP, SELL, Number.NaN), bar(101, 103, 1))).toBe(false);
  });
});

describe('intrabar path', () => {
  it('stop_first goes against the position first: down for a long or flat, up for a short', () => {
    expect(firstMoveDown('stop_first', 1, 100, 95, 110)).toBe(true);
    expect(firstMoveDown('stop_first', 0, 100, 95, 110)).toBe(true);
    expect(firstMoveDown('stop_first', -1, 100, 95, 110)).toBe(false);
  });

  it('target_first goes with the position first (down when flat)', () => {
    expect(firstMoveDown('target_first', 1, 100, 95, 110)).toBe(false);
    expect(firstMoveDown('target_first', -1, 100, 95, 110)).toBe(true);
    expect(firstMoveDown('target_first', 0, 100, 95, 110)).toBe(true);
  });

  it('nearest_first goes towards the nearest touched level, ties against the position', () => {
    expect(firstMoveDown('nearest_first', 1, 100, 95, 104)).toBe(false); // 4 up vs 5 down
    expect(firstMoveDown('nearest_first', 1, 100, 97, 104)).toBe(true);
    expect(firstMoveDown('nearest_first', 1, 100, 95, 105)).toBe(true); // tie: against a long = down
    expect(firstMoveDown('nearest_first', -1, 100, 95, 105)).toBe(false); // tie: against a short = up
    expect(firstMoveDown('nearest_first', 1, 100, Number.NaN, 120)).toBe(false); // only a level above
    expect(firstMoveDown('nearest_first', -1, 100, 80, Number.NaN)).toBe(true);
  });

  it('measures the distance along open -> first extreme -> other extreme', () => {
    const b = bar(100, 110, 90);
    const below = at(LevelKind.STOP, SELL, 95); // reached going down
    const above = at(LevelKind.LIMIT, SELL, 105); // reached going up
    // Down first: 95 is 5 away, 105 is 10 + 15 = 25 away.
    expect(pathDistance(below, b, true)).toBe(5);
    expect(pathDistance(above, b, true)).toBe(25);
    // Up first: 105 is 5 away, 95 is 10 + 15 = 25 away.
    expect(pathDistance(above, b, false)).toBe(5);
    expect(pathDistance(below, b, false)).toBe(25);
  });
});

describe('trailing stops', () => {
  const trail = (direction: 1 | -1, percent: number, amount: number, activation: number, extreme: number): Trail => ({
    direction,
    trailPercent: percent,
    trailAmount: amount,
    activationPrice: activation,
    extreme,
    trailLevel: Number.NaN,
  });

  it('a sell stop trails the highest price by a percent once armed, never loosening', () => {
    const s = trail(SELL, 0.02, Number.NaN, 102, 100);
    ratchetTrail(s, bar(100, 101, 99), true); // not armed: best 101 < 102
    expect([s.extreme, s.trailLevel]).toEqual([101, Number.NaN]);
    ratchetTrail(s, bar(101, 104, 100), true);
    expect(s.extreme).toBe(104);
    expect(s.trailLevel).toBeCloseTo(101.92, 12);
    ratchetTrail(s, bar(103, 103, 100), true); // a lower high moves nothing
    expect(s.trailLevel).toBeCloseTo(101.92, 12);
  });

  it('ratchets from the close only for an order placed inside the bar', () => {
    const s = trail(SELL, 0.02, Number.NaN, Number.NaN, 100);
    ratchetTrail(s, bar(100, 110, 99, 103), false);
    expect(s.extreme).toBe(103);
    expect(s.trailLevel).toBeCloseTo(100.94, 12);
  });

  it('a buy stop trails the lowest price by an amount, armed at once without activation', () => {
    const s = trail(BUY, Number.NaN, 1.5, Number.NaN, 50);
    ratchetTrail(s, bar(50, 51, 50), true);
    expect(s.trailLevel).toBe(51.5);
    ratchetTrail(s, bar(49, 50, 48), true);
    expect([s.extreme, s.trailLevel]).toEqual([48, 49.5]);
    ratchetTrail(s, bar(49, 50, 49), true);
    expect(s.trailLevel).toBe(49.5);
  });

  it('the stop in force is the tighter of the initial level and the trail', () => {
    expect(stopInForce(SELL, 97, Number.NaN)).toBe(97);
    expect(stopInForce(SELL, 97, 101.92)).toBe(101.92);
    expect(stopInForce(SELL, Number.NaN, 101.92)).toBe(101.92);
    expect(stopInForce(BUY, 103, 101)).toBe(101);
    expect(stopInForce(BUY, Number.NaN, Number.NaN)).toBeNaN();
    expect(trailGoverns(SELL, 97, 101.92)).toBe(true);
    expect(trailGoverns(SELL, 97, 97)).toBe(false); // equal: the initial stop governs
    expect(trailGoverns(SELL, 97, Number.NaN)).toBe(false);
    expect(trailGoverns(BUY, Number.NaN, 50)).toBe(true);
  });
});
