import { isAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStoreReference, isStoreReference, isTimeframe, isValidSymbol, parseStoreReference, timeframeFromSpacing } from './timeframe';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('timeframes', () => {
  it('accepts a count and a unit, case-sensitive', () => {
    for (const ok of ['1s', '1m', '5m', '15m', '1h', '4h', '1d', '1w', '1M', '3M', '1y', '999999m']) expect(isTimeframe(ok), ok).toBe(true);
    for (const bad of ['', 'm', '0m', '01m', '1min', '1D', '1H', '1.5h', ' 1d', '1d ', '1000000m', 1, null]) expect(isTimeframe(bad), String(bad)).toBe(false);
  });

  it('names regular spacings and refuses others', () => {
    expect(timeframeFromSpacing(1000)).toBe('1s');
    expect(timeframeFromSpacing(MINUTE)).toBe('1m');
    expect(timeframeFromSpacing(5 * MINUTE)).toBe('5m');
    expect(timeframeFromSpacing(90 * MINUTE)).toBe('90m');
    expect(timeframeFromSpacing(60 * MINUTE)).toBe('1h');
    expect(timeframeFromSpacing(4 * 60 * MINUTE)).toBe('4h');
    expect(timeframeFromSpacing(DAY)).toBe('1d');
    expect(timeframeFromSpacing(3 * DAY)).toBe('3d');
    expect(timeframeFromSpacing(7 * DAY)).toBe('1w');
    expect(timeframeFromSpacing(14 * DAY)).toBe('2w');
    expect(timeframeFromSpacing(28 * DAY)).toBe('1M');
    expect(timeframeFromSpacing(31 * DAY)).toBe('1M');
    expect(timeframeFromSpacing(365 * DAY)).toBe('1y');
    for (const irregular of [0, -DAY, 250, 1500, NaN, Infinity, 90_500]) expect(timeframeFromSpacing(irregular), String(irregular)).toBeUndefined();
  });

  it('names every whole number of minutes with a valid timeframe', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (minutes) => {
        const name = timeframeFromSpacing(minutes * MINUTE);
        return name === undefined || isTimeframe(name);
      }),
    );
  });
});

describe('store references', () => {
  it('parses symbols and an optional timeframe', () => {
    expect(parseStoreReference('store:SPY')).toEqual({ symbols: ['SPY'], timeframe: undefined });
    expect(parseStoreReference('store:SPY,QQQ@1d')).toEqual({ symbols: ['SPY', 'QQQ'], timeframe: '1d' });
    expect(parseStoreReference('store: SPY , BRK.B ,SPY@5m')).toEqual({ symbols: ['SPY', 'BRK.B'], timeframe: '5m' });
    expect(parseStoreReference('store:BTC/USDT,^GSPC@1h').symbols).toEqual(['BTC/USDT', '^GSPC']);
    expect(isStoreReference('store:SPY')).toBe(true);
    expect(isStoreReference('data/SPY.csv')).toBe(false);
    expect(isStoreReference('sample:sp500')).toBe(false);
  });

  it('names what is wrong with a bad reference', () => {
    const cases: [string, string][] = [
      ['SPY@1d', 'it must start with "store:"'],
      ['store:', 'a symbol is empty'],
      ['store:SPY,,QQQ', 'a symbol is empty'],
      ['store:SPY@1d@1h', 'it has more than one "@"'],
      ['store:SPY@daily', 'timeframe "daily" is not a count and one of s, m, h, d, w, M, y (e.g. 1d)'],
      ['store:S P Y', 'symbol "S P Y" is not 1 to 64 characters without white space'],
    ];
    for (const [text, reason] of cases) {
      let error: unknown;
      try {
        parseStoreReference(text);
      } catch (e) {
        error = e;
      }
      expect(isAlgoTradingError(error, 'INVALID_ARGUMENT'), text).toBe(true);
      expect((error as Error).message).toBe(
        `invalid store reference ${JSON.stringify(text)}: ${reason} (expected store:SYMBOL[,SYMBOL...][@TIMEFRAME], e.g. store:SPY,QQQ@1d)`,
      );
    }
  });

  it('formats what it parses', () => {
    const symbol = fc.stringMatching(/^[A-Za-z0-9.^/_=-]{1,10}$/);
    const timeframe = fc.option(fc.constantFrom('1m', '5m', '1h', '1d', '1w', '1M'), { nil: undefined });
    fc.assert(
      fc.property(fc.uniqueArray(symbol, { minLength: 1, maxLength: 5 }), timeframe, (symbols, tf) => {
        const text = formatStoreReference({ symbols, timeframe: tf });
        expect(parseStoreReference(text)).toEqual({ symbols, timeframe: tf });
      }),
    );
    expect(() => formatStoreReference({ symbols: [], timeframe: undefined })).toThrow('symbols must name at least one symbol');
    expect(() => formatStoreReference({ symbols: ['A,B'], timeframe: undefined })).toThrow('symbols[0] must be a symbol');
  });

  it('knows a valid symbol', () => {
    for (const ok of ['SPY', 'BRK.B', 'BTC/USDT', 'ES=F', '^GSPC', 'x'.repeat(64)]) expect(isValidSymbol(ok), ok).toBe(true);
    for (const bad of ['', 'S P', 'A,B', 'A@B', 'tab\there', 'x'.repeat(65), 'a\u001fb', 7]) expect(isValidSymbol(bad), String(bad)).toBe(false);
  });
});
