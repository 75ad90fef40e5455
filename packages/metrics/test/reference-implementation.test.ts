import { describe, it } from 'vitest';
import {
  annualVolatility,
  cagr,
  calmarRatio,
  conditionalValueAtRisk,
  downsideRisk,
  maxDrawdown,
  omegaRatio,
  sharpeRatio,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
  valueAtRisk,
} from '../src/index';
import { expectClose, normalSeries, seededRandom } from './helpers';

// A second, straightforward implementation written from the formulas (plain loops, sequential
// sums, textbook least squares), independent of the package's numpy-order summation.
const ref = {
  finite(r: Float64Array): number[] {
    return Array.from(r).filter((x) => !Number.isNaN(x));
  },
  mean(xs: number[]): number {
    let s = 0;
    for (const x of xs) s += x;
    return s / xs.length;
  },
  std(xs: number[]): number {
    const m = ref.mean(xs);
    let s = 0;
    for (const x of xs) s += (x - m) ** 2;
    return Math.sqrt(s / (xs.length - 1));
  },
  growth(r: Float64Array): number {
    let g = 1;
    for (const x of r) g *= Number.isNaN(x) ? 1 : 1 + x;
    return g;
  },
  totalReturn: (r: Float64Array) => ref.growth(r) - 1,
  cagr: (r: Float64Array, ppy: number) => Math.pow(ref.growth(r), ppy / r.length) - 1,
  volatility: (r: Float64Array, ppy: number) => ref.std(ref.finite(r)) * Math.sqrt(ppy),
  sharpe(r: Float64Array, rf: number, ppy: number): number {
    const xs = ref.finite(r).map((x) => x - rf);
    return (ref.mean(xs) / ref.std(xs)) * Math.sqrt(ppy);
  },
  downside(r: Float64Array, mar: number, ppy: number): number {
    const xs = ref.finite(r);
    return Math.sqrt(ref.mean(xs.map((x) => Math.min(x - mar, 0) ** 2))) * Math.sqrt(ppy);
  },
  sortino(r: Float64Array, mar: number, ppy: number): number {
    return (ref.mean(ref.finite(r).map((x) => x - mar)) * ppy) / ref.downside(r, mar, ppy);
  },
  maxDrawdown(r: Float64Array): number {
    let wealth = 1;
    let peak = 1;
    let worst = 0;
    for (const x of r) {
      wealth *= Number.isNaN(x) ? 1 : 1 + x;
      peak = Math.max(peak, wealth);
      worst = Math.min(worst, wealth / peak - 1);
    }
    return worst;
  },
  calmar: (r: Float64Array, ppy: number) => ref.cagr(r, ppy) / Math.abs(ref.maxDrawdown(r)),
  omega(r: Float64Array, rf: number, annualRequired: number, ppy: number): number {
    const threshold = Math.pow(1 + annualRequired, 1 / ppy) - 1;
    let up = 0;
    let down = 0;
    for (const x of ref.finite(r)) {
      const d = x - rf - threshold;
      if (d > 0) up += d;
      else down -= d;
    }
    return up / down;
  },
  quantile(sorted: number[], q: number): number {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  },
  sorted: (r: Float64Array) => ref.finite(r).sort((a, b) => a - b),
  tail: (r: Float64Array) => Math.abs(ref.quantile(ref.sorted(r), 0.95)) / Math.abs(ref.quantile(ref.sorted(r), 0.05)),
  cvar(r: Float64Array, cutoff: number): number {
    const k = Math.floor((r.length - 1) * cutoff);
    return ref.mean(ref.sorted(r).slice(0, k + 1));
  },
  stability(r: Float64Array): number {
    const ys: number[] = [];
    let c = 0;
    for (const x of ref.finite(r)) ys.push((c += Math.log(1 + x)));
    const n = ys.length;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sx += i;
      sy += ys[i]!;
    }
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (i - mx) ** 2;
      syy += (ys[i]! - my) ** 2;
      sxy += (i - mx) * (ys[i]! - my);
    }
    return (sxy * sxy) / (sxx * syy);
  },
};

function withNaN(values: Float64Array, every: number): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 3; i < out.length; i += every) out[i] = Number.NaN;
  return out;
}

const series: [string, Float64Array, number][] = [
  ['10,000 daily normal returns', normalSeries(10_000, 0.0004, 0.012, 1), 252],
  ['5,000 weekly returns, 1 in 17 missing', withNaN(normalSeries(5_000, 0.001, 0.03, 2), 17), 52],
  ['2,500 uniform returns', Float64Array.from({ length: 2_500 }, seededRandom(3)).map((u) => (u - 0.48) * 0.04), 365],
  ['NaN first', (() => {
    const r = normalSeries(1_000, 0.0002, 0.02, 4);
    r[0] = Number.NaN;
    return r;
  })(), 252],
];

describe('agreement with a straightforward reference implementation', () => {
  for (const [name, r, ppy] of series) {
    it(name, () => {
      const tol = 1e-9;
      const rf = 0.0001;
      expectClose(totalReturn(r), ref.totalReturn(r), tol);
      expectClose(cagr(r, { periodsPerYear: ppy }), ref.cagr(r, ppy), tol);
      expectClose(annualVolatility(r, { periodsPerYear: ppy }), ref.volatility(r, ppy), tol);
      expectClose(sharpeRatio(r, { periodsPerYear: ppy }), ref.sharpe(r, 0, ppy), tol);
      expectClose(sharpeRatio(r, { riskFree: rf, periodsPerYear: ppy }), ref.sharpe(r, rf, ppy), tol);
      expectClose(
        sharpeRatio(r, { annualRiskFree: 0.03, periodsPerYear: ppy }),
        ref.sharpe(r, Math.pow(1.03, 1 / ppy) - 1, ppy),
        tol,
      );
      expectClose(downsideRisk(r, { periodsPerYear: ppy }), ref.downside(r, 0, ppy), tol);
      expectClose(downsideRisk(r, { requiredReturn: 0.001, periodsPerYear: ppy }), ref.downside(r, 0.001, ppy), tol);
      expectClose(sortinoRatio(r, { periodsPerYear: ppy }), ref.sortino(r, 0, ppy), tol);
      expectClose(sortinoRatio(r, { requiredReturn: 0.001, periodsPerYear: ppy }), ref.sortino(r, 0.001, ppy), tol);
      expectClose(maxDrawdown(r), ref.maxDrawdown(r), tol);
      expectClose(calmarRatio(r, { periodsPerYear: ppy }), ref.calmar(r, ppy), tol);
      expectClose(omegaRatio(r, { periodsPerYear: ppy }), ref.omega(r, 0, 0, ppy), tol);
      expectClose(omegaRatio(r, { riskFree: rf, requiredReturn: 0.05, periodsPerYear: ppy }), ref.omega(r, rf, 0.05, ppy), tol);
      expectClose(tailRatio(r), ref.tail(r), tol);
      expectClose(stability(r), ref.stability(r), 1e-8);
      const hasNaN = r.some(Number.isNaN);
      if (!hasNaN) {
        expectClose(valueAtRisk(r), ref.quantile(ref.sorted(r), 0.05), tol);
        expectClose(valueAtRisk(r, { cutoff: 0.01 }), ref.quantile(ref.sorted(r), 0.01), tol);
        expectClose(conditionalValueAtRisk(r), ref.cvar(r, 0.05), tol);
        expectClose(conditionalValueAtRisk(r, { cutoff: 0.2 }), ref.cvar(r, 0.2), tol);
      }
    });
  }
});
