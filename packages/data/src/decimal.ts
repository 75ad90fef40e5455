/**
 * Exact conversion of decimal text with 16 to 19 significant digits (what JavaScript, Python and
 * pandas write for computed prices: `100.13796864935145`) to the nearest double, without building
 * a string. Shorter numbers need no help (one exact multiplication or division gives the correctly
 * rounded result); longer ones, or the rare values within a hair of a rounding tie, return NaN and
 * the caller uses `Number(text)`.
 *
 * Method: the digits form an integer M = mh * 1e8 + ml with both parts exact doubles; M is carried
 * as a double-double (Dekker's error-free products and sums), multiplied or divided by the exact
 * power of ten, which leaves a candidate c = fl(result) and the remainder r = result - c, known to
 * within about 2^-100 of the result. The correctly rounded value is c when |r| is below half a unit
 * in the last place of c, its neighbour when above; within 2^-40 of a half unit it is not decided
 * here.
 */

const SPLITTER = 134_217_729; // 2^27 + 1, Veltkamp's constant
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, i) => 10 ** i); // 1e0 .. 1e22, all exact
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Index of the word holding the sign, exponent and top of the mantissa. */
const HIGH = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 1 : 0;

let productError = 0;
/** fl(a * b), leaving the exact rounding error a * b - fl(a * b) in `productError`. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  productError = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

let sumError = 0;
/** fl(a + b), leaving the exact rounding error in `sumError`. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  sumError = a - (s - bb) + (b - bb);
  return s;
}

/**
 * The double nearest to `(mh * 1e8 + ml) * 10^power` (ties to even), for integers mh < 2^53 and
 * 0 <= ml < 1e8 and |power| <= 22; NaN when the result is not a normal number or lies too close to
 * a rounding tie to be decided without the full algorithm.
 */
export function nearestDouble(mh: number, ml: number, power: number): number {
  if (power < -22 || power > 22) return Number.NaN;
  // M = mh * 1e8 + ml as hi + lo (the lo part exact to within 2^-106 of M).
  const ph = twoProduct(mh, 1e8);
  const pl = productError;
  const mHi0 = twoSum(ph, ml);
  const mLo0 = sumError + pl;
  const mHi = twoSum(mHi0, mLo0);
  const mLo = sumError;
  const d = POWERS_OF_TEN[power < 0 ? -power : power]!;
  let c: number;
  let r: number;
  if (power >= 0) {
    c = twoProduct(mHi, d);
    r = productError + mLo * d;
  } else {
    c = mHi / d;
    const th = twoProduct(c, d);
    r = (mHi - th - productError + mLo) / d;
  }
  // Half a unit in the last place of c, from its exponent bits.
  scratch[0] = c;
  const exponent = (words[HIGH]! >>> 20) & 0x7ff;
  if (exponent === 0 || exponent === 0x7ff) return Number.NaN;
  // A power of two has a smaller unit below it: leave it to the full algorithm.
  if ((words[HIGH]! & 0xfffff) === 0 && words[1 - HIGH] === 0) return Number.NaN;
  const ulp = 2 ** (exponent - 1075);
  const half = ulp / 2;
  const margin = half * 2 ** -40;
  const a = Math.abs(r);
  if (a < half - margin) return c;
  if (a > half + margin && a < ulp + half - margin) return r > 0 ? c + ulp : c - ulp;
  return Number.NaN;
}
