import { describe, expect, it } from 'vitest';
import { LruIndicatorCache } from './indicator-cache';

describe('LruIndicatorCache', () => {
  it('computes a key once per view and counts hits and misses', () => {
    const cache = new LruIndicatorCache();
    const full = cache.view('100');
    let computed = 0;
    const make = () => {
      computed++;
      return new Float64Array(10);
    };
    const a = full.memo('sma:close:5', make);
    const b = full.memo('sma:close:5', make);
    expect(a).toBe(b);
    expect(computed).toBe(1);
    // Another view of the data (fewer bars) is another value.
    cache.view('50').memo('sma:close:5', make);
    expect(computed).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2, evictions: 0 });
    expect(cache.bytes).toBe(160);
  });

  it('evicts the least recently used values beyond its byte budget', () => {
    const cache = new LruIndicatorCache(3 * 800);
    const view = cache.view('v');
    const computed: string[] = [];
    const get = (key: string) => view.memo(key, () => (computed.push(key), new Float64Array(100)));
    get('a');
    get('b');
    get('c');
    get('a'); // a is now the most recent; b the least
    get('d'); // over budget: b goes
    expect(cache.stats.evictions).toBe(1);
    get('a');
    get('c');
    get('d');
    expect(computed).toEqual(['a', 'b', 'c', 'd']);
    get('b'); // recomputed
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'b']);
    expect(cache.bytes).toBe(2400);
  });

  it('keeps a value larger than the budget until the next one', () => {
    const cache = new LruIndicatorCache(100);
    const view = cache.view('v');
    const big = view.memo('big', () => new Float64Array(50));
    expect(view.memo('big', () => new Float64Array(0))).toBe(big);
  });
});
