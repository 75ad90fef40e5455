/**
 * The standard normal distribution function and its inverse, to double precision (internal
 * module, used by the Sharpe ratio inference).
 *
 * Phi(x) = erfc(-x / sqrt 2) / 2. erf is summed from its everywhere-positive series
 * `erf(z) = 2/sqrt(pi) e^(-z^2) sum_k (2 z^2)^k z / (1 x 3 x ... x (2k + 1))` for z < 2, and
 * erfc from its continued fraction `erfc(z) = e^(-z^2) / sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / ...)))`
 * (modified Lentz) for z >= 2, so deep tails keep full relative precision.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** erfc(z) for z >= 0. */
function erfcNonNegative(z: number): number {
  if (z < 2) {
    const t = 2 * z * z;
    let term = z;
    let sum = z;
    for (let k = 1; k < 200; k++) {
      term *= t / (2 * k + 1);
      sum += term;
      if (term <= sum * 1e-17) break;
    }
    return 1 - ((2 / SQRT_PI) * Math.exp(-z * z) * sum);
  }
  if (z > 27) return 0; // below the smallest double
  const tiny = 1e-300;
  let f = z;
  let c = f;
  let d = 0;
  for (let j = 1; j < 500; j++) {
    const a = j / 2;
    d = z + a * d;
    if (d === 0) d = tiny;
    c = z + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / (SQRT_PI * f);
}

/** Standard normal cumulative distribution function Phi(x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * erfcNonNegative(Math.abs(x) * Math.SQRT1_2); // P(X > |x|)
  return x < 0 ? tail : 1 - tail;
}

/** Standard normal density. */
function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Inverse of {@link normalCdf}: the x with Phi(x) = p. -Infinity at 0, Infinity at 1, NaN
 * outside [0, 1]. A rational first guess (Abramowitz and Stegun 26.2.23) refined by Halley
 * steps on the lower tail.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p; // lower-tail probability
  const t = Math.sqrt(-2 * Math.log(q));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 8; i++) {
    const e = normalCdf(x) - q;
    const u = e / normalPdf(x);
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return p < 0.5 ? x : -x;
}
