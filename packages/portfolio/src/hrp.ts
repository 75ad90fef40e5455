import { parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { correlationFromCovariance, covariance, readCovariance, type CheckedCovariance, type CovarianceInput, type CovarianceOptions } from './covariance';
import { fail, toRecord } from './internal';
import { riskShares, type RiskAllocation } from './risk-based';
import type { ReturnsInput } from './returns-matrix';

/** One merge of a single-linkage clustering, as scipy's linkage rows `[a, b, distance, size]` (clusters >= n are earlier merges). */
export type LinkageRow = readonly [number, number, number, number];

/** Result of {@link hierarchicalRiskParity}. */
export interface HierarchicalRiskParityResult extends RiskAllocation {
  /** The symbols in quasi-diagonal order (the leaves of the dendrogram, left to right). */
  readonly order: readonly string[];
  /** The single-linkage dendrogram (scipy's `linkage` layout and labels). */
  readonly linkage: readonly LinkageRow[];
}

/** Options of {@link hierarchicalRiskParity}. */
export interface HierarchicalRiskParityOptions {
  /** Covariance estimator when returns are given (default `{ method: 'sample' }`). */
  readonly covariance?: CovarianceOptions;
}

/**
 * Single-linkage clustering of a full n x n distance matrix (Prim's minimum spanning tree, as
 * scipy's `linkage(method='single')`): merges sorted by distance (stable), labelled with the
 * smaller cluster first, new clusters numbered n, n + 1, ...
 */
export function singleLinkage(distance: Float64Array, n: number): LinkageRow[] {
  const from = new Int32Array(Math.max(0, n - 1));
  const to = new Int32Array(Math.max(0, n - 1));
  const height = new Float64Array(Math.max(0, n - 1));
  const merged = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  let x = 0;
  for (let k = 0; k < n - 1; k++) {
    merged[x] = 1;
    let currentMin = Infinity;
    let y = -1;
    for (let i = 0; i < n; i++) {
      if (merged[i] === 1) continue;
      const d = distance[x * n + i]!;
      if (best[i]! > d) best[i] = d;
      if (best[i]! < currentMin || y === -1) {
        y = i;
        currentMin = best[i]!;
      }
    }
    from[k] = x;
    to[k] = y;
    height[k] = currentMin;
    x = y;
  }
  const order = Array.from({ length: n - 1 }, (_, k) => k).sort((a, b) => height[a]! - height[b]! || a - b);
  // Union-find relabelling: each merge joins the current clusters of its two points.
  const parent = new Int32Array(2 * n - 1);
  const size = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) {
    parent[i] = i;
    size[i] = 1;
  }
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[v] !== root) {
      const next = parent[v]!;
      parent[v] = root;
      v = next;
    }
    return root;
  };
  const rows: LinkageRow[] = [];
  for (let r = 0; r < order.length; r++) {
    const k = order[r]!;
    const a = find(from[k]!);
    const b = find(to[k]!);
    const cluster = n + r;
    parent[a] = cluster;
    parent[b] = cluster;
    size[cluster] = size[a]! + size[b]!;
    rows.push([Math.min(a, b), Math.max(a, b), height[k]!, size[cluster]!]);
  }
  return rows;
}

/** Leaves of a linkage in dendrogram order (left subtree first), as scipy's `leaves_list`. */
export function quasiDiagonalOrder(linkage: readonly LinkageRow[], n: number): number[] {
  if (n === 1) return [0];
  const out: number[] = [];
  const stack = [2 * n - 2];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node < n) {
      out.push(node);
      continue;
    }
    const [left, right] = linkage[node - n]!;
    stack.push(right, left);
  }
  return out;
}

/** Variance of a cluster under inverse-variance weights within it. */
function clusterVariance(cov: CheckedCovariance, items: readonly number[]): number {
  const n = cov.n;
  const m = cov.matrix;
  let total = 0;
  for (const i of items) total += 1 / m[i * n + i]!;
  let variance = 0;
  for (const i of items) {
    const wi = 1 / m[i * n + i]! / total;
    for (const j of items) variance += wi * (1 / m[j * n + j]! / total) * m[i * n + j]!;
  }
  return variance;
}

const hrpOptionsSchema = z.strictObject({
  covariance: z.custom<CovarianceOptions>((v) => typeof v === 'object' && v !== null, { error: 'expected covariance options' }).optional(),
});

function isCovarianceInput(input: unknown): input is CovarianceInput {
  return typeof input === 'object' && input !== null && 'matrix' in input && 'symbols' in input;
}

/**
 * Hierarchical risk parity (Lopez de Prado, 2016), as PyPortfolioOpt's `HRPOpt`:
 *
 * 1. correlation distance `d_ij = sqrt((1 - rho_ij) / 2)` (clipped to [0, 1]);
 * 2. single-linkage clustering of that distance (scipy's labels and tie order);
 * 3. quasi-diagonal order: the dendrogram's leaves, left to right;
 * 4. recursive bisection: split each list of the order in two halves, weight the halves by
 *    `alpha = 1 - V1 / (V1 + V2)` with `V` the variance of each half under inverse-variance
 *    weights inside it.
 *
 * Input: returns (covariance estimated with `options.covariance`, sample by default) or a
 * covariance matrix. Long-only weights summing to 1.
 *
 * @example
 * const hrp = hierarchicalRiskParity(R);
 * hrp.order; // symbols in quasi-diagonal order
 * hrp.weights;
 */
export function hierarchicalRiskParity(input: ReturnsInput | CovarianceInput, options: HierarchicalRiskParityOptions = {}): HierarchicalRiskParityResult {
  parseOptions(hrpOptionsSchema, options, { what: 'hierarchicalRiskParity options' });
  let cov: CheckedCovariance;
  if (isCovarianceInput(input)) {
    if (options.covariance !== undefined) fail('INVALID_CONFIG', 'covariance', 'covariance options apply to returns input only: a covariance matrix was given');
    cov = readCovariance(input);
  } else {
    cov = readCovariance(covariance(input as ReturnsInput, options.covariance));
  }
  const n = cov.n;
  for (let i = 0; i < n; i++) {
    const v = cov.matrix[i * n + i]!;
    if (!(v > 0)) fail('INVALID_ARGUMENT', 'cov', `hierarchicalRiskParity: ${JSON.stringify(cov.symbols[i])} has variance ${v}; every asset needs a positive variance`, v);
  }
  const corr = correlationFromCovariance(cov);
  const distance = new Float64Array(n * n);
  for (let k = 0; k < distance.length; k++) distance[k] = Math.sqrt(Math.min(1, Math.max(0, (1 - corr[k]!) / 2)));
  const linkage = singleLinkage(distance, n);
  const order = quasiDiagonalOrder(linkage, n);

  const w = new Float64Array(n).fill(1);
  let clusters: number[][] = [order];
  while (clusters.length > 0) {
    const next: number[][] = [];
    for (const items of clusters) {
      if (items.length < 2) continue;
      const half = items.length >> 1;
      const first = items.slice(0, half);
      const second = items.slice(half);
      const v1 = clusterVariance(cov, first);
      const v2 = clusterVariance(cov, second);
      const alpha = 1 - v1 / (v1 + v2);
      for (const i of first) w[i]! *= alpha;
      for (const i of second) w[i]! *= 1 - alpha;
      next.push(first, second);
    }
    clusters = next;
  }
  return Object.freeze({
    symbols: cov.symbols,
    weights: Object.freeze(toRecord(cov.symbols, w)),
    vector: w,
    riskContributions: Object.freeze(toRecord(cov.symbols, riskShares(cov, w))),
    order: Object.freeze(order.map((i) => cov.symbols[i]!)),
    linkage: Object.freeze(linkage),
  });
}
