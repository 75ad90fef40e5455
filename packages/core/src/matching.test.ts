import { describe, expect, it } from 'vitest';
import {
  LevelKind,
  executesAt,
  firstMoveDown,
  pathDistance,
  ratchetTrail,
  reachedGoingDown,
  stopInForce,
  touches,
  trailGoverns,
  type TrailState,
} from './matching';

const BUY = 1;
const SELL = -1;

describe('levels', () => {
  it('buy limits and sell stops sit below the price, sell limits and buy stops above', () => {
    expect(reachedGoingDown(LevelKind.LIMIT, BUY)).toBe(true);
    expect(reachedGoingDown(LevelKind.STOP, SELL)).toBe(true);
    expect(reachedGoingDown(LevelKind.LIMIT, SELL)).toBe(false);
    expect(reachedGoingDown(LevelKind.STOP, BUY)).toBe(false);
  });

  it('executes at a price on the right side of the level, the level itself included', () => {
    expect(executesAt(LevelKind.LIMIT, BUY, 99, 98.5)).toBe(true); // buy limit 99, open 98.5: better
    expect(executesAt(LevelKind.LIMIT, BUY, 99, 99)).toBe(true);
    expect(executesAt(LevelKind.LIMIT, BUY, 99, 99.01)).toBe(false);
    expect(executesAt(LevelKind.LIMIT, SELL, 101, 101.5)).toBe(true);
    expect(executesAt(LevelKind.STOP, BUY, 105, 106)).toBe(true); // buy stop gapped through
    expect(executesAt(LevelKind.STOP, BUY, 105, 104.99)).toBe(false);
    expect(executesAt(LevelKind.STOP, SELL, 95, 94)).toBe(true);
    expect(executesAt(LevelKind.STOP, SELL, Number.NaN, 94)).toBe(false); // no level
  });

  it('touches a level inside the range from the low or the high', () => {
    expect(touches(LevelKind.LIMIT, BUY, 99, 103, 99)).toBe(true);
    expect(touches(LevelKind.LIMIT, BUY, 99, 103, 99.2)).toBe(false);
    expect(touches(LevelKind.STOP, BUY, 103, 103, 99)).toBe(true);
    expect(touches(LevelKind.LIMIT, SELL, 103.5, 103, 99)).toBe(false);
    expect(touches(LevelKind.STOP, SELL, Number.NaN, 103, 1)).toBe(false);
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
    // Bar open 100, high 110, low 90; down first: 95 is 5 away, 105 is 10 + 15 = 25 away.
    expect(pathDistance(95, true, 100, 110, 90, true)).toBe(5);
    expect(pathDistance(105, false, 100, 110, 90, true)).toBe(25);
    // Up first: 105 is 5 away, 95 is 10 + 15 = 25 away.
    expect(pathDistance(105, false, 100, 110, 90, false)).toBe(5);
    expect(pathDistance(95, true, 100, 110, 90, false)).toBe(25);
  });
});

describe('trailing stops', () => {
  it('a sell stop trails the highest price by a percent once armed, never loosening', () => {
    const s: TrailState = { extreme: 100, trailLevel: Number.NaN };
    ratchetTrail(s, SELL, 101, 0.02, Number.NaN, 102); // not armed: best 101 < 102
    expect(s).toEqual({ extreme: 101, trailLevel: Number.NaN });
    ratchetTrail(s, SELL, 104, 0.02, Number.NaN, 102);
    expect(s.extreme).toBe(104);
    expect(s.trailLevel).toBeCloseTo(101.92, 12);
    ratchetTrail(s, SELL, 103, 0.02, Number.NaN, 102); // a lower price moves nothing
    expect(s.trailLevel).toBeCloseTo(101.92, 12);
  });

  it('a buy stop trails the lowest price by an amount, armed at once without activation', () => {
    const s: TrailState = { extreme: 50, trailLevel: Number.NaN };
    ratchetTrail(s, BUY, 50, Number.NaN, 1.5, Number.NaN);
    expect(s.trailLevel).toBe(51.5);
    ratchetTrail(s, BUY, 48, Number.NaN, 1.5, Number.NaN);
    expect(s).toEqual({ extreme: 48, trailLevel: 49.5 });
    ratchetTrail(s, BUY, 49, Number.NaN, 1.5, Number.NaN);
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
