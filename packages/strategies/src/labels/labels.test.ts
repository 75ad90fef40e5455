import { BarSeries, catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { barsFromCloses } from '../../test/fixtures';
import { directionLabels } from './direction-labels';
import { tripleBarrierLabels } from './triple-barrier-labels';

const N = Number.NaN;

function ohlc(rows: readonly (readonly [number, number, number, number])[]): BarSeries {
  return BarSeries.fromRows(
    rows.map(([open, high, low, close], i) => ({ time: i * 86_400_000, open, high, low, close, volume: 1 })),
  );
}

describe('directionLabels', () => {
  it('1 when the close h bars later is higher, 0 otherwise (flat is 0), NaN at the end', () => {
    expect(Array.from(directionLabels(barsFromCloses([1, 2, 2, 1])))).toEqual([1, 0, 0, N]);
    expect(Array.from(directionLabels(barsFromCloses([1, 2, 2, 1, 3]), { horizon: 2 }))).toEqual([1, 0, 1, N, N]);
  });
  it('all NaN when the series is shorter than the horizon', () => {
    expect(Array.from(directionLabels(barsFromCloses([1, 2]), { horizon: 3 }))).toEqual([N, N]);
  });
  it('rejects a bad horizon', () => {
    expect(catchAlgoTradingError(() => directionLabels(barsFromCloses([1, 2]), { horizon: 0 }), 'INVALID_ARGUMENT').message).toContain('horizon');
  });
});

describe('tripleBarrierLabels', () => {
  // entry at close 100: target 110 (+10%), stop 95 (-5%)
  const opts = { profitTarget: 0.1, stopLoss: 0.05, maxHolding: 3 } as const;

  it('profit target first -> 1, stop first -> 0', () => {
    const up = ohlc([
      [100, 100, 100, 100],
      [100, 104, 99, 103],
      [103, 111, 102, 108],
      [108, 108, 90, 92],
    ]);
    expect(tripleBarrierLabels(up, opts)[0]).toBe(1);
    const down = ohlc([
      [100, 100, 100, 100],
      [100, 101, 94, 96],
      [96, 120, 96, 119],
      [119, 119, 119, 119],
    ]);
    expect(tripleBarrierLabels(down, opts)[0]).toBe(0);
  });

  it('a bar touching both barriers follows the intrabar policy (stop first by default)', () => {
    const both = ohlc([
      [100, 100, 100, 100],
      [100, 111, 94, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
    ]);
    expect(tripleBarrierLabels(both, opts)[0]).toBe(0);
    expect(tripleBarrierLabels(both, { ...opts, intrabarPolicy: 'target_first' })[0]).toBe(1);
  });

  it('a gap through the target at the open counts as the target', () => {
    const gap = ohlc([
      [100, 100, 100, 100],
      [115, 116, 93, 94],
      [94, 94, 94, 94],
      [94, 94, 94, 94],
    ]);
    expect(tripleBarrierLabels(gap, opts)[0]).toBe(1);
  });

  it('time limit: sign of the return at the limit, or NaN with onTimeout drop; NaN when unknown', () => {
    const flat = ohlc([
      [100, 100, 100, 100],
      [100, 102, 99, 101],
      [101, 102, 99, 99],
      [99, 103, 98, 102],
      [102, 103, 101, 101],
    ]);
    const labels = tripleBarrierLabels(flat, opts);
    // t=0: no barrier in bars 1..3, close[3] = 102 > 100 -> 1
    expect(labels[0]).toBe(1);
    // t=1 (entry 101): bars 2..4, no barrier; close[4] = 101 is not above 101 -> 0
    expect(labels[1]).toBe(0);
    // t=2..4: the limit is beyond the data and no barrier was hit -> unknown
    expect(Array.from(labels.subarray(2))).toEqual([N, N, N]);
    expect(tripleBarrierLabels(flat, { ...opts, onTimeout: 'drop' })[0]).toBeNaN();
  });

  it('a barrier hit near the end is known even before the time limit', () => {
    const late = ohlc([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 112, 100, 111],
    ]);
    expect(tripleBarrierLabels(late, { ...opts, maxHolding: 10 })[0]).toBe(1);
  });

  it('rejects bad options naming the key', () => {
    for (const [bad, key] of [
      [{ ...opts, stopLoss: 1.2 }, 'stopLoss'],
      [{ ...opts, profitTarget: -0.1 }, 'profitTarget'],
      [{ ...opts, maxHolding: 0 }, 'maxHolding'],
      [{ ...opts, onTimeout: 'zero' }, 'onTimeout'],
    ] as const) {
      expect(catchAlgoTradingError(() => tripleBarrierLabels(barsFromCloses([1, 2]), bad as never), 'INVALID_ARGUMENT').message).toContain(key);
    }
  });
});
