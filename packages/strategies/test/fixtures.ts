import { BarSeries, createSeededRandom, type ProbabilisticClassifier, type FeatureMatrix } from '@algo-trading/core';

/**
 * Seeded synthetic daily OHLCV bars: a geometric random walk with consistent OHLC (low <= open,
 * close <= high) and positive volume. Same seed, same bars.
 */
export function syntheticBars(n: number, seed = 1, options: { drift?: number; vol?: number } = {}): BarSeries {
  const rng = createSeededRandom(seed);
  const drift = options.drift ?? 0.0002;
  const vol = options.vol ?? 0.01;
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = 100;
  const day = 86_400_000;
  for (let i = 0; i < n; i++) {
    time[i] = Date.UTC(2020, 0, 1) + i * day;
    const o = price * (1 + vol * 0.2 * rng.normal());
    const c = o * Math.exp(drift + vol * rng.normal());
    const h = Math.max(o, c) * (1 + Math.abs(vol * 0.5 * rng.normal()));
    const l = Math.min(o, c) * (1 - Math.abs(vol * 0.5 * rng.normal()));
    open[i] = o;
    close[i] = c;
    high[i] = h;
    low[i] = l;
    volume[i] = Math.round(1_000_000 * Math.exp(0.3 * rng.normal()));
    price = c;
  }
  return BarSeries.fromValidatedColumns({ time, open, high, low, close, volume }, { symbol: 'SYN' });
}

/** Bars from closes only (open = previous close, high/low around), for hand-computed tests. */
export function barsFromCloses(closes: readonly number[]): BarSeries {
  const n = closes.length;
  return BarSeries.fromColumns({
    time: closes.map((_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000),
    open: closes.map((c, i) => (i === 0 ? c : closes[i - 1]!)),
    high: closes.map((c, i) => Math.max(c, i === 0 ? c : closes[i - 1]!)),
    low: closes.map((c, i) => Math.min(c, i === 0 ? c : closes[i - 1]!)),
    close: [...closes],
    volume: new Array<number>(n).fill(1000),
  });
}

/**
 * A model whose probability is read from one feature column (clamped to [0, 1]); records every
 * matrix it was shown, so tests can check it never sees a NaN row.
 */
export class ColumnModel implements ProbabilisticClassifier {
  readonly seen: FeatureMatrix[] = [];
  readonly fitted: { X: FeatureMatrix; y: number[] }[] = [];
  constructor(private readonly column = 0) {}
  fit(X: FeatureMatrix, y: ArrayLike<number>): void {
    this.fitted.push({ X, y: Array.from(y) });
  }
  predictProba(X: FeatureMatrix): Float64Array {
    this.seen.push(X);
    return Float64Array.from({ length: X.length }, (_, i) => Math.min(1, Math.max(0, X[i]![this.column]!)));
  }
}
