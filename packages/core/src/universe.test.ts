import { describe, expect, it } from 'vitest';
import { BarSeries } from './bar-series';
import { isAlgoTradingError } from './errors';
import { toUniverse, universeOf } from './universe';

const T = [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)];
const bars = (symbol?: string) => BarSeries.fromPrices(T, [1, 2], symbol === undefined ? undefined : { symbol });

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('toUniverse', () => {
  it('sorts the symbols and gives each series its key as symbol, sharing memory', () => {
    const msft = bars();
    const universe = toUniverse({ MSFT: msft, AAPL: bars('AAPL'), aapl: bars() });
    expect([...universe.keys()]).toEqual(['AAPL', 'MSFT', 'aapl']);
    expect(universe.get('MSFT')!.symbol).toBe('MSFT');
    expect(universe.get('MSFT')!.close).toBe(msft.close);
    expect([...toUniverse(new Map([['B', bars()], ['A', bars()]])).keys()]).toEqual(['A', 'B']);
  });

  it('rejects empty universes, bad symbols, non-series and mismatched symbols, naming them', () => {
    expect(message(() => toUniverse({}))).toBe('a universe needs at least one symbol, got none');
    expect(message(() => toUniverse([] as never))).toContain('must be a Map or a record');
    expect(message(() => toUniverse(bars() as never))).toContain('must be a Map or a record');
    expect(message(() => toUniverse({ ' A': bars() }))).toBe('universe symbols must be non-empty trimmed strings, got " A"');
    expect(message(() => toUniverse({ A: [1, 2] as never }))).toBe('universe["A"] must be a BarSeries, got an array of length 2');
    expect(message(() => toUniverse({ A: bars('B') }))).toBe('universe["A"] holds the bars of "B": key and series symbol must match');
  });
});

describe('universeOf', () => {
  it('keys series by their own symbols, sorted; duplicates and missing symbols are errors', () => {
    expect([...universeOf([bars('Z'), bars('A')]).keys()]).toEqual(['A', 'Z']);
    expect(message(() => universeOf([bars('A'), bars('A')]))).toBe('universeOf: symbol "A" occurs twice');
    expect(message(() => universeOf([bars()]))).toContain('universeOf needs series with a symbol');
  });
});
