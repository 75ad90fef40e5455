/**
 * Numbers as the CSV files write them: at most 15 significant digits, NaN as an empty field.
 *
 * Prices and money in the engine are doubles computed from decimal inputs (a fill price is the
 * reference price x (1 + slippage bps / 10,000), a commission price x quantity x rate), exact to
 * about 16 significant digits. Their last digit is noise: 1527.35 with 5 bps slippage computes to
 * 1528.1136749999998 where the exact value is 1528.113675. Rounding to 15 significant digits drops
 * that noise and writes the exact decimal value whenever it has 15 digits or fewer (any price with
 * up to 8 digits times a slippage factor), and otherwise differs from the double by at most
 * 5e-15 of it. Integers below 1e15 are written as they are.
 *
 * The text is `String(Number(value.toPrecision(15)))` (two distinct decimals of at most 15
 * significant digits are two distinct doubles, so the rounding without its trailing zeros is the
 * shortest text of the rounded value). It is written as ASCII bytes straight into the file's
 * buffer: equity.csv has a million lines of them, and building a string per number, then per
 * line, then encoding it took most of the time of writing that file.
 */

const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** 10^j, exact for j <= 22. */
const POW10 = Array.from({ length: 23 }, (_, j) => 10 ** j);
/** 10^-j for j <= 7. */
const NEGATIVE_POW10 = Array.from({ length: 8 }, (_, j) => 10 ** -j);
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134_217_729;
const POW10_HIGH = POW10.map((p) => {
  const t = SPLITTER * p;
  return t - (t - p);
});
const POW10_LOW = POW10.map((p, j) => p - POW10_HIGH[j]!);
/** The 15 digits being written. */
const DIGITS = new Uint8Array(15);
/** `00` to `99` as ASCII digit pairs. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/**
 * The 15-digit rounding of `a` (1e-6 <= a < 1e15, not an integer) as its digits and the
 * exponent of the first, in {@link DIGITS}: `a` x 10^(14 - k) rounded to an integer of exactly 15
 * digits. Its rounding error is recovered exactly (Dekker's product), so the rounding is that of
 * the exact binary value, as `toPrecision` rounds. Returns the exponent k, or NaN where this is
 * not decided (an exact tie, or a digit count off at a power of 10): then `toPrecision` decides.
 */
function roundTo15Digits(a: number): number {
  // The exponent by comparisons (cheaper than Math.log10); one off at a power of 10 is caught below.
  let k = 0;
  if (a >= 1) {
    while (k < 14 && a >= POW10[k + 1]!) k++;
  } else {
    while (k > -6 && a < NEGATIVE_POW10[1 - k]!) k--;
    k--;
  }
  const j = 14 - k;
  const p = a * POW10[j]!;
  const floor = Math.floor(p);
  if (!(floor >= 1e14 && floor < 999_999_999_999_999)) return NaN;
  let m = floor;
  const fraction = p - floor;
  // Below 0.25 the product's error (at most 1/16: p < 2^50) cannot carry it past one half.
  if (fraction >= 0.25) {
    const t = SPLITTER * a;
    const high = t - (t - a);
    const low = a - high;
    const error = high * POW10_HIGH[j]! - p + high * POW10_LOW[j]! + low * POW10_HIGH[j]! + low * POW10_LOW[j]!;
    const aboveHalf = fraction - 0.5 + error; // exact sign: a * 10^j - floor - 0.5
    if (aboveHalf === 0) return NaN;
    if (aboveHalf > 0) m++;
  }
  // Two digits at a time: 7 digits above 10^8, 8 below. x * 0.01 floors to x / 100 for these
  // integers (0.01 rounds up, and never by enough to pass the next integer), and is cheaper.
  let high = Math.floor(m / 1e8);
  let low = m - high * 1e8;
  for (let i = 13; i >= 7; i -= 2) {
    const q = Math.floor(low * 0.01);
    const pair = 2 * (low - q * 100);
    DIGITS[i] = DIGIT_PAIRS[pair]!;
    DIGITS[i + 1] = DIGIT_PAIRS[pair + 1]!;
    low = q;
  }
  for (let i = 5; i >= 1; i -= 2) {
    const q = Math.floor(high * 0.01);
    const pair = 2 * (high - q * 100);
    DIGITS[i] = DIGIT_PAIRS[pair]!;
    DIGITS[i + 1] = DIGIT_PAIRS[pair + 1]!;
    high = q;
  }
  DIGITS[0] = ZERO + high;
  return k;
}

/** Writes the ASCII `text` at `at`; returns the end. */
function writeAscii(bytes: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
  return at;
}

/** The text by `toPrecision`, for what {@link roundTo15Digits} leaves (and non-finite values). */
function slowText(value: number): string {
  if (value !== value) return '';
  if (value === Infinity || value === -Infinity) return String(value);
  const rounded = value.toPrecision(15);
  if (rounded.includes('e')) return String(Number(rounded));
  if (!rounded.includes('.')) return rounded;
  let end = rounded.length;
  while (rounded.charCodeAt(end - 1) === ZERO) end--;
  if (rounded.charCodeAt(end - 1) === DOT) end--;
  return rounded.slice(0, end);
}

/**
 * Writes `value` as {@link csvNumber} text (ASCII, at most 24 bytes) into `bytes` at `at`.
 *
 * @returns the index after the last byte written.
 */
export function writeCsvNumber(bytes: Uint8Array, at: number, value: number): number {
  if (Number.isInteger(value) && value < 1e15 && value > -1e15) {
    let rest = value;
    if (rest < 0) {
      bytes[at++] = MINUS;
      rest = -rest;
    }
    let first = 15; // the digits fill DIGITS from the end
    while (rest >= 100) {
      const q = Math.floor(rest / 100);
      const pair = 2 * (rest - q * 100);
      DIGITS[--first] = DIGIT_PAIRS[pair + 1]!;
      DIGITS[--first] = DIGIT_PAIRS[pair]!;
      rest = q;
    }
    if (rest >= 10) {
      DIGITS[--first] = DIGIT_PAIRS[2 * rest + 1]!;
      DIGITS[--first] = DIGIT_PAIRS[2 * rest]!;
    } else DIGITS[--first] = ZERO + rest;
    for (let i = first; i < 15; i++) bytes[at++] = DIGITS[i]!;
    return at;
  }
  const a = value < 0 ? -value : value;
  const k = a >= 1e-6 && a < 1e15 ? roundTo15Digits(a) : NaN;
  if (k !== k) return writeAscii(bytes, at, slowText(value));
  if (value < 0) bytes[at++] = MINUS;
  // The digits before the point (k + 1 of them, or none), then those after it without trailing zeros.
  const whole = k + 1;
  let end = 15;
  while (end > whole && DIGITS[end - 1] === ZERO) end--;
  if (whole > 0) {
    for (let i = 0; i < whole; i++) bytes[at++] = DIGITS[i]!;
    if (end === whole) return at;
    bytes[at++] = DOT;
    for (let i = whole; i < end; i++) bytes[at++] = DIGITS[i]!;
    return at;
  }
  bytes[at++] = ZERO;
  bytes[at++] = DOT;
  for (let i = whole; i < 0; i++) bytes[at++] = ZERO;
  for (let i = 0; i < end; i++) bytes[at++] = DIGITS[i]!;
  return at;
}

const SCRATCH = Buffer.allocUnsafe(32);

/** A number as written to the CSV files (see the top of this file): `1528.113675`, `''` for NaN. */
export function csvNumber(value: number): string {
  return SCRATCH.toString('latin1', 0, writeCsvNumber(SCRATCH, 0, value));
}
