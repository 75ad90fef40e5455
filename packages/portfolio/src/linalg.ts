/**
 * Dense linear algebra on row-major `Float64Array` matrices (internal): the few kernels the
 * estimators and allocators need. Symmetric matrices are stored in full.
 */

/** `out = M v` for an n x n matrix. */
export function matVec(m: Float64Array, v: ArrayLike<number>, n: number, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * n;
    for (let j = 0; j < n; j++) s += m[base + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** `v' M v`. */
export function quadForm(m: Float64Array, v: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    const base = i * n;
    for (let j = 0; j < n; j++) row += m[base + j]! * v[j]!;
    s += v[i]! * row;
  }
  return s;
}

/** Sum of products of two vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * In-place Cholesky factorization `A = L L'` of a symmetric positive-definite n x n matrix (the
 * lower triangle of `a` becomes L; the upper triangle is left as is). Returns false when a pivot
 * is not positive.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j]!;
    for (let k = 0; k < j; k++) d -= a[rowJ + k]! * a[rowJ + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j]!;
      for (let k = 0; k < j; k++) s -= a[rowI + k]! * a[rowJ + k]!;
      a[rowI + j] = s / ljj;
    }
  }
  return true;
}

/** Solves `L L' x = b` with the factor of {@link choleskyInPlace}; `b` is overwritten by x. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const row = i * n;
    for (let k = 0; k < i; k++) s -= l[row + k]! * b[k]!;
    b[i] = s / l[row + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  return b;
}

function swapEntries(v: Float64Array | Int32Array | number[], i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

function swapRows(m: Float64Array, n: number, i: number, j: number): void {
  for (let k = 0; k < n; k++) swapEntries(m, i * n + k, j * n + k);
}

/**
 * Solves the square system `A x = b` (n x n, row-major) by Gaussian elimination with partial
 * pivoting; `a` and `b` are overwritten (b becomes x). Returns false when a pivot is below
 * `1e-13 x` the largest entry of A: the system is singular to working precision.
 */
export function luSolveInPlace(a: Float64Array, n: number, b: Float64Array): boolean {
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(a[k]!));
  const tiny = 1e-13 * scale;
  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]!) > Math.abs(a[pivotRow * n + col]!)) pivotRow = r;
    const pivot = a[pivotRow * n + col]!;
    if (!(Math.abs(pivot) > tiny)) return false;
    if (pivotRow !== col) {
      swapRows(a, n, col, pivotRow);
      swapEntries(b, col, pivotRow);
    }
    for (let r = col + 1; r < n; r++) {
      const factor = a[r * n + col]! / pivot;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) a[r * n + j]! -= factor * a[col * n + j]!;
      b[r]! -= factor * b[col]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < n; j++) s -= a[i * n + j]! * b[j]!;
    b[i] = s / a[i * n + i]!;
  }
  return true;
}

/** Outcome of {@link semidefiniteCheck}. */
export interface SemidefiniteCheck {
  readonly ok: boolean;
  /** Numerical rank found by the pivoted factorization. */
  readonly rank: number;
  /** When not ok: the index whose pivot (or off-diagonal in a null block) broke the rule. */
  readonly index?: number;
  /** When not ok: the offending pivot value (negative) or off-diagonal entry. */
  readonly value?: number;
}

/**
 * Positive semi-definiteness by Cholesky with diagonal pivoting (as LAPACK's `dpstrf`): at each
 * step the largest remaining diagonal of the Schur complement is eliminated. A PSD matrix never
 * shows a pivot below `-tol`, and once the largest remaining pivot is below `tol` its remaining
 * block must be numerically zero. `tol = n x 1e-13 x max diagonal` absorbs rounding.
 */
export function semidefiniteCheck(matrix: Float64Array, n: number): SemidefiniteCheck {
  const a = Float64Array.from(matrix);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  const tol = Math.max(n, 10) * 1e-13 * maxDiag;
  for (let k = 0; k < n; k++) {
    // Pivot: the largest remaining diagonal.
    let p = k;
    for (let i = k + 1; i < n; i++) if (a[i * n + i]! > a[p * n + p]!) p = i;
    const pivot = a[p * n + p]!;
    if (pivot <= tol) {
      // The rest must be a (numerically) zero block: no negative diagonal, no large off-diagonal.
      for (let i = k; i < n; i++) {
        const d = a[i * n + i]!;
        if (d < -tol) return { ok: false, rank: k, index: perm[i]!, value: d };
        for (let j = k; j < i; j++) {
          const v = a[i * n + j]!;
          if (Math.abs(v) > Math.sqrt(tol * tol + Math.max(0, d) * Math.max(0, a[j * n + j]!)) + tol) {
            return { ok: false, rank: k, index: perm[i]!, value: v };
          }
        }
      }
      return { ok: true, rank: k };
    }
    if (p !== k) {
      // Symmetric swap of rows/columns k and p.
      swapRows(a, n, k, p);
      for (let i = 0; i < n; i++) swapEntries(a, i * n + k, i * n + p);
      swapEntries(perm, k, p);
    }
    // Schur complement update of the trailing block (lower triangle and diagonal suffice,
    // mirrored to keep the swaps simple).
    const inv = 1 / pivot;
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k]! * inv;
      if (f === 0) continue;
      for (let j = k + 1; j <= i; j++) {
        const v = a[i * n + j]! - f * a[j * n + k]!;
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
  }
  return { ok: true, rank: n };
}
