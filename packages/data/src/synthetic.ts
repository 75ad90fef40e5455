import { AlgoTradingError, BarSeries, createSeededRandom, describeValue, parseOptions, universeOf, type Universe } from '@algo-trading/core';
import { z } from 'zod';

/** Which slots of the generator's clock a symbol trades: every one, or Monday to Friday (UTC dates). */
export type SyntheticCalendar = 'all' | 'weekdays';

/** Options of {@link generateUniverse}. Per-symbol values are arrays in the order of `symbols`. */
export interface GenerateUniverseOptions {
  /** Symbol names, or how many (named `S01`, `S02`, ...). Default 5. */
  readonly symbols?: number | readonly string[] | undefined;
  /** Slots of the clock (bars of a symbol that trades every slot, has no missing bars and lives throughout). */
  readonly bars: number;
  /** Seed: the same seed and options give the same universe on every platform. Default 1. */
  readonly seed?: number | undefined;
  /**
   * Correlation of the symbols' close-to-close log returns: one number for every pair (default 0.5;
   * from just above -1/(n-1) to below 1), or a full symmetric positive-definite matrix with a unit diagonal.
   */
  readonly correlation?: number | readonly (readonly number[])[] | undefined;
  /** Standard deviation of a slot's log return, per symbol or for all. Default 0.01. */
  readonly volatility?: number | readonly number[] | undefined;
  /** Mean log return per slot. Default 0. */
  readonly drift?: number | readonly number[] | undefined;
  /** First price. Default 100. */
  readonly startPrice?: number | readonly number[] | undefined;
  /**
   * Pull of the log price towards its start per slot, in [0, 1). Default 0 (geometric random walk);
   * a small value (0.001) keeps very long paths in a realistic range.
   */
  readonly meanReversion?: number | undefined;
  /**
   * Share of a slot's return that happens overnight, as the gap between the previous close and the
   * open (plus independent gap noise of `gapNoise` x volatility). Default 0.3: opens differ from the
   * previous close. Close-to-close returns keep the target correlation whatever the split.
   */
  readonly gapShare?: number | undefined;
  /** Independent noise of the open gap, in units of volatility. Default 0.2. */
  readonly gapNoise?: number | undefined;
  /** Probability that a bar is missing (a halt, a data hole), per symbol and slot. Default 0. */
  readonly missingRate?: number | undefined;
  /** Trading calendar: one for all, or per symbol. Default `all`. */
  readonly calendar?: SyntheticCalendar | readonly SyntheticCalendar[] | undefined;
  /** Slot range in which a symbol has bars (a late listing, a delisting), by symbol name. */
  readonly spans?: Readonly<Record<string, { readonly first?: number | undefined; readonly last?: number | undefined }>> | undefined;
  /** Time of slot 0, epoch ms. Default 2020-01-01T00:00Z. */
  readonly start?: number | undefined;
  /** Time between slots, ms. Default one day. */
  readonly interval?: number | undefined;
  /** Typical volume of a bar. Default 1,000,000. */
  readonly volume?: number | undefined;
}

const perSymbol = z.union([z.number(), z.array(z.number()).readonly()]);
const optionsSchema = z.strictObject({
  symbols: z.union([z.number().int().min(1).max(10_000), z.array(z.string().trim().min(1)).min(1).readonly()]).default(5),
  bars: z.number().int().min(1).max(50_000_000),
  seed: z.number().int().min(0).default(1),
  correlation: z.union([z.number().gt(-1).lt(1), z.array(z.array(z.number()).readonly()).readonly()]).default(0.5),
  volatility: perSymbol.default(0.01),
  drift: perSymbol.default(0),
  startPrice: perSymbol.default(100),
  meanReversion: z.number().min(0).lt(1).default(0),
  gapShare: z.number().min(0).max(1).default(0.3),
  gapNoise: z.number().min(0).default(0.2),
  missingRate: z.number().min(0).lt(1).default(0),
  calendar: z.union([z.enum(['all', 'weekdays']), z.array(z.enum(['all', 'weekdays'])).readonly()]).default('all'),
  spans: z.record(z.string(), z.strictObject({ first: z.number().int().min(0).optional(), last: z.number().int().min(0).optional() })).optional(),
  start: z.number().finite().default(Date.UTC(2020, 0, 1)),
  interval: z.number().positive().finite().default(86_400_000),
  volume: z.number().positive().finite().default(1_000_000),
});

function invalid(field: string, value: unknown, message: string): never {
  throw new AlgoTradingError('INVALID_CONFIG', `generateUniverse: ${field} ${message}, got ${describeValue(value)}`, { details: { field, value } });
}

/** A per-symbol option as one value per symbol, checked with `check`. */
function expand(field: string, value: number | readonly number[], n: number, check: (v: number) => boolean, rule: string): Float64Array {
  const out = new Float64Array(n);
  if (typeof value === 'number') {
    if (!check(value)) invalid(field, value, rule);
    out.fill(value);
    return out;
  }
  if (value.length !== n) invalid(field, value, `must have one value per symbol (${n})`);
  value.forEach((v, i) => {
    if (!check(v)) invalid(`${field}[${i}]`, v, rule);
    out[i] = v;
  });
  return out;
}

/** Lower-triangular Cholesky factor (row-major n x n) of a correlation matrix, or an error naming the problem. */
function choleskyOf(matrix: readonly (readonly number[])[], n: number): Float64Array {
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) invalid('correlation', matrix, `must be a ${n} x ${n} matrix (one row and column per symbol)`);
  for (let i = 0; i < n; i++) {
    if (matrix[i]![i] !== 1) invalid(`correlation[${i}][${i}]`, matrix[i]![i], 'must be 1 (a correlation matrix has a unit diagonal)');
    for (let j = 0; j < i; j++) {
      const v = matrix[i]![j]!;
      if (!(Math.abs(v) < 1) || v !== matrix[j]![i]) invalid(`correlation[${i}][${j}]`, v, `must be in (-1, 1) and equal correlation[${j}][${i}]`);
    }
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > 1e-12)) invalid('correlation', '(matrix)', 'must be positive definite (no combination of symbols may have zero or negative variance)');
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return l;
}

/**
 * A seeded universe of synthetic OHLCV bars for tests and benchmarks: correlated geometric random
 * walks (optionally mean-reverting) on a common clock of `bars` slots, with opens that gap from the
 * previous close, wicks, volumes, per-symbol calendars (`weekdays` skips Saturdays and Sundays),
 * late listings and delistings (`spans`) and randomly missing bars (`missingRate`).
 *
 * The latent price moves every slot; a slot a symbol does not trade (closed, missing) is simply not
 * observed, so the next bar opens with the accumulated move, as after a weekend. Close-to-close log
 * returns over consecutive slots have the target `correlation` (one factor when it is a single
 * non-negative number, a Cholesky factor otherwise). Missing bars are drawn from a separate stream:
 * changing `missingRate` removes bars but leaves the others unchanged. Uses core's seeded random;
 * no dependency. `INVALID_CONFIG` names any bad option.
 *
 * @example
 * const universe = generateUniverse({ symbols: ['AAA', 'BBB'], bars: 2520, correlation: 0.6, seed: 7 });
 * universe.get('AAA')!.length; // 2520
 */
export function generateUniverse(options: GenerateUniverseOptions): Universe {
  const o = parseOptions(optionsSchema, options, { what: 'generateUniverse options' });
  const names =
    typeof o.symbols === 'number' ? Array.from({ length: o.symbols }, (_, i) => `S${String(i + 1).padStart(Math.max(2, String(o.symbols).length), '0')}`) : [...o.symbols];
  const n = names.length;
  if (new Set(names).size !== n) invalid('symbols', names, 'must not repeat a symbol');
  const volatility = expand('volatility', o.volatility, n, (v) => Number.isFinite(v) && v >= 0, 'must be finite and >= 0');
  const drift = expand('drift', o.drift, n, Number.isFinite, 'must be finite');
  const startPrice = expand('startPrice', o.startPrice, n, (v) => Number.isFinite(v) && v > 0, 'must be finite and > 0');
  const calendars = typeof o.calendar === 'string' ? new Array<SyntheticCalendar>(n).fill(o.calendar) : [...o.calendar];
  if (calendars.length !== n) invalid('calendar', o.calendar, `must have one calendar per symbol (${n})`);
  const first = new Int32Array(n);
  const last = new Int32Array(n).fill(o.bars - 1);
  for (const [symbol, span] of Object.entries(o.spans ?? {})) {
    const i = names.indexOf(symbol);
    if (i < 0) invalid(`spans.${symbol}`, symbol, `must name one of the symbols (${names.join(', ')})`);
    first[i] = span.first ?? 0;
    last[i] = Math.min(span.last ?? o.bars - 1, o.bars - 1);
    if (first[i]! > last[i]!) invalid(`spans.${symbol}`, span, 'must have first <= last');
  }
  // Correlated shocks: one common factor for a single non-negative correlation, else Cholesky.
  const rho = typeof o.correlation === 'number' ? o.correlation : Number.NaN;
  let cholesky: Float64Array | undefined;
  if (typeof o.correlation !== 'number') {
    cholesky = choleskyOf(o.correlation, n);
  } else if (rho < 0) {
    if (n > 1 && !(rho > -1 / (n - 1))) invalid('correlation', rho, `must be above -1/(n-1) = ${-1 / (n - 1)} for ${n} symbols`);
    cholesky = choleskyOf(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : rho))), n);
  }
  const common = Math.sqrt(Math.max(rho, 0));
  const own = Math.sqrt(1 - Math.max(rho, 0));

  const rng = createSeededRandom(o.seed);
  const holes = createSeededRandom((o.seed ^ 0x9e3779b9) >>> 0);
  const columns = names.map((_, i) => {
    const capacity = Math.max(0, last[i]! - first[i]! + 1);
    return {
      count: 0,
      time: new Float64Array(capacity),
      open: new Float64Array(capacity),
      high: new Float64Array(capacity),
      low: new Float64Array(capacity),
      close: new Float64Array(capacity),
      volume: new Float64Array(capacity),
    };
  });
  const logPrice = Float64Array.from(startPrice, Math.log);
  const anchor = Float64Array.from(logPrice);
  const eps = new Float64Array(n);
  const shocks = new Float64Array(n);
  for (let t = 0; t < o.bars; t++) {
    const time = o.start + t * o.interval;
    const weekday = new Date(time).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // Shocks: every slot draws the same numbers whatever is observed, so paths are stable.
    for (let i = 0; i < n; i++) eps[i] = rng.normal();
    if (cholesky === undefined) {
      const factor = rng.normal();
      for (let i = 0; i < n; i++) shocks[i] = common * factor + own * eps[i]!;
    } else {
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let k = 0; k <= i; k++) sum += cholesky[i * n + k]! * eps[k]!;
        shocks[i] = sum;
      }
    }
    for (let i = 0; i < n; i++) {
      const sigma = volatility[i]!;
      const r = drift[i]! + o.meanReversion * (anchor[i]! - logPrice[i]!) + sigma * shocks[i]!;
      const gap = o.gapShare * r + o.gapNoise * sigma * rng.normal();
      // Wicks up to one volatility beyond the body, volume around its typical level and larger on big moves.
      const wickUp = rng.next() * sigma;
      const wickDown = rng.next() * sigma;
      const volumeNoise = rng.next();
      const previous = logPrice[i]!;
      logPrice[i] = previous + r;
      const missing = holes.next() < o.missingRate;
      if (t < first[i]! || t > last[i]! || missing || (calendars[i] === 'weekdays' && weekend)) continue;
      const c = columns[i]!;
      const k = c.count++;
      const openPrice = Math.exp(previous + gap);
      const closePrice = Math.exp(logPrice[i]!);
      c.time[k] = time;
      c.open[k] = openPrice;
      c.close[k] = closePrice;
      c.high[k] = Math.max(openPrice, closePrice) * (1 + wickUp);
      c.low[k] = Math.min(openPrice, closePrice) / (1 + wickDown);
      c.volume[k] = Math.round(o.volume * (0.5 + volumeNoise) * (1 + 5 * Math.abs(r)));
    }
  }
  // Exact-length columns: views when little is left unused, copies otherwise (weekends, holes).
  const fit = (column: Float64Array, count: number) => (column.length - count <= column.length >> 6 ? column.subarray(0, count) : column.slice(0, count));
  return universeOf(
    columns.map((c, i) =>
      BarSeries.fromValidatedColumns(
        {
          time: fit(c.time, c.count),
          open: fit(c.open, c.count),
          high: fit(c.high, c.count),
          low: fit(c.low, c.count),
          close: fit(c.close, c.count),
          volume: fit(c.volume, c.count),
        },
        { symbol: names[i]! },
      ),
    ),
  );
}
