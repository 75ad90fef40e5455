// The named export, not the default: decimal.js types itself as a CommonJS module, so under
// `module: nodenext` an ESM consumer's default import is the whole `module.exports` namespace, not
// the class (TS2351 on `new Decimal(...)`, TS2344 on `InstanceType<typeof Decimal>` in our d.ts).
// `Decimal` is exported by name from both its ESM and CommonJS builds.
import { Decimal as DecimalJs } from 'decimal.js';
import { AlgoTradingError, describeValue } from './errors';

/**
 * The one Decimal constructor of the project: 34 significant digits (IEEE 754 decimal128) and
 * banker's rounding. The cash ledger uses it exclusively; hot paths stay in `number`.
 */
export const Decimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_EVEN });
/** An instance of {@link Decimal}. */
export type Decimal = InstanceType<typeof Decimal>;
/** Anything {@link toDecimal} accepts. */
export type DecimalInput = Decimal | number | string;

/**
 * Converts a number or numeric string to a {@link Decimal}. Numbers convert through their
 * shortest round-trip representation (0.1 -> "0.1"), so a price typed as 0.1 stays exactly 0.1.
 * Throws `INVALID_ARGUMENT` for NaN, infinities and non-numeric strings.
 */
export function toDecimal(value: DecimalInput, field = 'value'): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be a finite number, got ${describeValue(value)}`, {
        details: { field, value },
      });
    }
    return new Decimal(value);
  }
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) {
    return new Decimal(value.trim());
  }
  if (typeof value === 'object' && value !== null && DecimalJs.isDecimal(value)) return new Decimal(value);
  throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be a decimal number, got ${describeValue(value)}`, {
    details: { field, value },
  });
}

/** Exact sum of the values. */
export function sumDecimal(values: Iterable<DecimalInput>): Decimal {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(toDecimal(v));
  return total;
}

/** Rounds money to `decimals` places, half-even (for display and reporting, never for the ledger). */
export function roundMoney(value: DecimalInput, decimals = 2): Decimal {
  return toDecimal(value).toDecimalPlaces(decimals, Decimal.ROUND_HALF_EVEN);
}

// ---------------------------------------------------------------------------------------------
// Quantization of quantities and prices to a step (lot size, tick size).

// Float-noise snap: a step count just below a whole number (24.999999999999996 -> 25 lots, a few
// ulps) counts as that whole number, while a genuine shortfall (24.9999999 lots) still floors to 24.
// The snap is relative (1e-12 of the count) but never more than a millionth of one step: a purely
// relative tolerance would add whole steps once the count reaches 1e12 (1e10 units at lot 0.001),
// putting the result above the value.
const SNAP_RELATIVE = 1e-12;
const SNAP_MAX_STEPS = 1e-6;

/** Whole steps in `raw` (a finite positive count), absorbing float noise just below an integer. */
function wholeSteps(raw: number): number {
  const down = Math.floor(raw);
  return down + 1 - raw <= Math.min(raw * SNAP_RELATIVE, SNAP_MAX_STEPS) ? down + 1 : down;
}

/** Number of decimals needed to write `step` exactly (0.001 -> 3, 0.25 -> 2, 5 -> 0). */
export function stepDecimals(step: number): number {
  if (Number.isInteger(step)) return 0;
  const text = step.toString();
  const exp = text.indexOf('e-');
  if (exp >= 0) {
    const mantissa = text.slice(0, exp);
    const dot = mantissa.indexOf('.');
    return Number(text.slice(exp + 2)) + (dot >= 0 ? mantissa.length - dot - 1 : 0);
  }
  return text.length - text.indexOf('.') - 1;
}

// The engine floors every order to a lot size and rounds prices to a tick size, a few distinct
// steps per run (one lot and one tick per instrument): the decimals of the last steps seen are
// cached, so a run alternating between symbols does not recompute them (a string conversion).
const STEP_CACHE = 8;
const cachedSteps = new Float64Array(STEP_CACHE).fill(1);
const cachedDecimals = new Int32Array(STEP_CACHE);
let nextCacheSlot = 0;

/** {@link stepDecimals} of `step`, cached for the last {@link STEP_CACHE} steps seen. */
function decimalsOf(step: number): number {
  for (let k = 0; k < STEP_CACHE; k++) if (cachedSteps[k] === step) return cachedDecimals[k]!;
  const decimals = stepDecimals(step);
  cachedSteps[nextCacheSlot] = step;
  cachedDecimals[nextCacheSlot] = decimals;
  nextCacheSlot = (nextCacheSlot + 1) % STEP_CACHE;
  return decimals;
}

function checkStep(step: number, field: string): void {
  if (!(typeof step === 'number' && Number.isFinite(step) && step > 0)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be a finite number greater than 0, got ${describeValue(step)}`, {
      details: { field, value: step },
    });
  }
}

/** `steps` whole steps written with the step's decimals (25 x 0.1 -> 2.5, not 2.5000000000000004). */
function stepsToValue(steps: number, step: number): number {
  const decimals = decimalsOf(step);
  if (decimals === 0) return steps * step;
  const scale = 10 ** decimals;
  return Math.round(steps * step * scale) / scale;
}

/**
 * Floors `value` to a whole number of `step`s (lot size), exactly: the result is a multiple of the
 * step written with the step's decimals, so `floorToStep(0.3, 0.1)` is `0.3`, not `0.2999...`.
 * Non-positive or non-finite values give 0.
 */
export function floorToStep(value: number, step = 1, field = 'lotSize'): number {
  checkStep(step, field);
  if (!(value > 0) || !Number.isFinite(value)) return 0;
  const steps = wholeSteps(value / step);
  if (steps <= 0) return 0;
  return stepsToValue(steps, step);
}

/**
 * Rounds `value` up to a whole number of `step`s (a buy's fill price up to the tick), exactly like
 * {@link floorToStep}: float noise just above a multiple does not add a step, so
 * `ceilToStep(0.30000000000000004, 0.1)` is `0.3`. Non-positive or non-finite values give 0.
 */
export function ceilToStep(value: number, step: number, field = 'tickSize'): number {
  checkStep(step, field);
  if (!(value > 0) || !Number.isFinite(value)) return 0;
  const raw = value / step;
  const down = Math.floor(raw);
  const steps = raw - down <= Math.min(raw * SNAP_RELATIVE, SNAP_MAX_STEPS) ? down : down + 1;
  return stepsToValue(steps, step);
}

/** Rounds a price to the nearest tick (half away from zero), exactly like {@link floorToStep}. */
export function roundToStep(value: number, step: number, field = 'tickSize'): number {
  checkStep(step, field);
  return stepsToValue(Math.round(value / step), step);
}

// Below 2^50 units of the lot's last decimal (2^50 lots of 1, 2^50 / 25 lots of 0.25), a quantity
// holds its lot count exactly: stepsToValue writes k lots as the float nearest to the decimal k x lot,
// and neighbouring counts are distinct floats. Above it, a lot is finer than a float quantity can
// resolve (its ulp is a sizeable part of a lot), and the lot count stops being meaningful.
const EXACT_LOT_UNITS = 2 ** 50;
// Candidate lot counts tried around the estimate: the estimate is within 1/4 lot of the true ratio
// below EXACT_LOT_UNITS (two roundings, each 2^-53 relative), the cost check within 1/2 lot (the
// quantity's and the product's roundings), so the answer is the estimate's floor, one above or one below.
const LOT_CANDIDATES = 3;
// Past EXACT_LOT_UNITS, the quotient cash / unitCost is the answer to within two roundings; each
// correction below lowers the quantity by one to two ulps, and two suffice.
const FLOAT_CORRECTIONS = 4;

/**
 * The largest quantity, a multiple of `lotSize`, whose cost including commission fits in `cash`:
 * `quantity x price x (1 + commissionPct) <= cash` (evaluated in floats). 0 when not even one lot
 * fits. This is the "all in, commission included" size and the cash cut of the engine.
 *
 * Computed in closed form (the quotient, then at most three candidate lot counts), so the time does
 * not depend on the number of lots. When the quantity exceeds 2^50 units of the lot's last decimal
 * (for example 1e7 units at a lot of 1e-8), a float cannot tell neighbouring lot counts apart: the
 * result is then the largest float quantity that fits.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` when `lotSize` is not a finite number greater than 0.
 */
export function affordableQuantity(cash: number, price: number, commissionPct = 0, lotSize = 1): number {
  checkStep(lotSize, 'lotSize');
  if (!(cash > 0) || !(price > 0) || !Number.isFinite(cash) || !Number.isFinite(price)) return 0;
  const unitCost = price * (1 + commissionPct);
  if (!(unitCost > 0) || !Number.isFinite(unitCost)) return 0;
  const units = cash / unitCost;
  const decimals = decimalsOf(lotSize);
  if (units * 10 ** decimals < EXACT_LOT_UNITS) {
    // The largest fitting count is floor(units / lot) + 1, + 0 or - 1 (see LOT_CANDIDATES); the
    // check is monotone in the count, so the first count that fits, from the top, is the answer.
    const estimate = Math.floor(units / lotSize);
    const lowest = Math.max(1, estimate + 2 - LOT_CANDIDATES);
    for (let steps = estimate + 1; steps >= lowest; steps--) {
      const quantity = stepsToValue(steps, lotSize);
      if (quantity * unitCost <= cash) return quantity;
    }
    if (lowest === 1) return 0; // not even one lot fits
  } else {
    let quantity = units;
    for (let k = 0; k < FLOAT_CORRECTIONS; k++) {
      if (quantity * unitCost <= cash) return quantity;
      // Lowers the quantity by one to two ulps (x(1 - 2^-52) is at least one ulp below any float).
      quantity *= 1 - 2 ** -52;
    }
  }
  throw new AlgoTradingError(
    'INVARIANT_VIOLATION',
    `affordableQuantity found no fitting quantity near ${units} units (cash ${cash}, price ${price}, commissionPct ${commissionPct}, lotSize ${lotSize})`,
    { details: { field: 'lotSize', value: lotSize } },
  );
}
