import { BarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema';
import { buildManifest, canonicalJson, hashBars, hashConfig, packageVersions } from './manifest';

const bars = BarSeries.fromRows(
  [
    { time: '2024-01-02', open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
    { time: '2024-01-03', open: 10.5, high: 12, low: 10, close: 11, volume: 120 },
  ],
  { symbol: 'X' },
);

describe('manifest', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('config hash ignores key order and changes with any value', () => {
    expect(hashConfig({ a: 1, b: 2 })).toBe(hashConfig({ b: 2, a: 1 }));
    expect(hashConfig({ a: 1, b: 2 })).not.toBe(hashConfig({ a: 1, b: 3 }));
    expect(hashConfig({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'); // sha256("{}")
  });

  it('data hash depends on the values and the symbol, not on the object', () => {
    const again = BarSeries.fromColumns(
      { time: bars.time, open: bars.open, high: bars.high, low: bars.low, close: bars.close, volume: bars.volume },
      { symbol: 'X' },
    );
    expect(hashBars(again)).toBe(hashBars(bars));
    expect(hashBars(bars.withSymbol('Y'))).not.toBe(hashBars(bars));
    expect(hashBars(bars.slice(0, 1))).not.toBe(hashBars(bars));
    expect(hashBars(bars)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records the workspace package versions', () => {
    const versions = packageVersions();
    expect(versions['@algo-trading/core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(versions['@algo-trading/cli']).toMatch(/^\d+\.\d+\.\d+/);
    expect(versions['echarts']).toBe('6.1.0');
    expect(packageVersions(['no-such-package-xyz'])).toEqual({ 'no-such-package-xyz': 'unknown' });
  });

  it('builds the whole manifest', () => {
    const manifest = buildManifest({
      config: defaultConfig(),
      bars,
      seed: 7,
      argv: ['demo'],
      notes: { backend: 'cpu' },
      now: new Date(Date.UTC(2024, 0, 1)),
    });
    expect(manifest.seed).toBe(7);
    expect(manifest.configHash).toBe(hashConfig(defaultConfig()));
    expect(manifest.dataHash).toBe(hashBars(bars));
    expect(manifest.createdAt).toBe('2024-01-01T00:00:00.000Z');
    expect(manifest.node).toBe(process.version);
    expect(manifest.notes).toEqual({ backend: 'cpu' });
  });
});
