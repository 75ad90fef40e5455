import { AlgoTradingError, type BarSeries } from '@algo-trading/core';
import type { BarsView } from './types';

type ColumnName = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume';

/**
 * The {@link BarsView} of a strategy context: bars `[0, current]` of a series. The engine moves
 * `current` forward once per bar; reads beyond it throw, so a strategy cannot look ahead.
 * Allocation-free except {@link column}.
 */
export class BoundedBarsView implements BarsView {
  /** Index of the current bar; the engine advances it. */
  current = -1;
  readonly #series: BarSeries;

  constructor(series: BarSeries) {
    this.#series = series;
  }

  get length(): number {
    return this.current + 1;
  }

  #check(column: ColumnName, index: number): number {
    if (Number.isInteger(index) && index >= 0 && index <= this.current) return index;
    const why =
      Number.isInteger(index) && index > this.current
        ? `look-ahead: bar ${index} is after the current bar ${this.current}`
        : `expected an integer in [0, ${this.current}]`;
    throw new AlgoTradingError('INVALID_ARGUMENT', `bars.${column}(${String(index)}): ${why}`, {
      details: { field: `bars.${column}`, index: this.current, value: index },
    });
  }

  time(index: number): number {
    return this.#series.time[this.#check('time', index)]!;
  }

  open(index: number): number {
    return this.#series.open[this.#check('open', index)]!;
  }

  high(index: number): number {
    return this.#series.high[this.#check('high', index)]!;
  }

  low(index: number): number {
    return this.#series.low[this.#check('low', index)]!;
  }

  close(index: number): number {
    return this.#series.close[this.#check('close', index)]!;
  }

  volume(index: number): number {
    return this.#series.volume[this.#check('volume', index)]!;
  }

  column(name: ColumnName): Float64Array {
    const source = (this.#series as unknown as Record<string, unknown>)[name];
    if (!(source instanceof Float64Array) || !['time', 'open', 'high', 'low', 'close', 'volume'].includes(name)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `bars.column(${JSON.stringify(name)}): unknown column`, {
        details: { field: 'bars.column', value: name },
      });
    }
    return source.subarray(0, this.current + 1);
  }
}
