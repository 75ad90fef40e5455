/**
 * Small dense linear algebra over row-major `Float64Array` blocks (internal): Cholesky
 * factorisation and the triangular solve the full-covariance density needs.
 */

/**
 * Lower Cholesky factor of the symmetric `d x d` matrix at `a[aOffset..]` into `l[lOffset..]`
 * (upper part zeroed). Returns the smallest squared pivot (the smallest conditional variance),
 * or a value <= 0 when the matrix is not positive definite (then `l` is partial).
 */
export function cholesky(a: Float64Array, aOffset: number, d: number, l: Float64Array, lOffset: number): number {
  let minPivot = Number.POSITIVE_INFINITY;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[aOffset + i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[lOffset + i * d + k]! * l[lOffset + j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) return sum === sum ? sum : -1;
        if (sum < minPivot) minPivot = sum;
        l[lOffset + i * d + i] = Math.sqrt(sum);
      } else {
        l[lOffset + i * d + j] = sum / l[lOffset + j * d + j]!;
      }
    }
    for (let j = i + 1; j < d; j++) l[lOffset + i * d + j] = 0;
  }
  return minPivot;
}

/** log det of the matrix whose lower Cholesky factor is at `l[lOffset..]`: 2 sum log diag. */
export function logDetFromCholesky(l: Float64Array, lOffset: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[lOffset + i * d + i]!);
  return 2 * s;
}

/**
 * Squared Mahalanobis norm |L^-1 (x - mu)|^2 by forward substitution, `z` a scratch of length d.
 * `x` is read at `x[xOffset..]`, `mu` at `mu[muOffset..]`.
 */
export function mahalanobisSquared(
  x: Float64Array,
  xOffset: number,
  mu: Float64Array,
  muOffset: number,
  l: Float64Array,
  lOffset: number,
  d: number,
  z: Float64Array,
): number {
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = x[xOffset + i]! - mu[muOffset + i]!;
    const row = lOffset + i * d;
    for (let k = 0; k < i; k++) s -= l[row + k]! * z[k]!;
    const zi = s / l[row + i]!;
    z[i] = zi;
    q += zi * zi;
  }
  return q;
}
