import { z } from 'zod';
import { AlgoTradingError, describeValue, type AlgoTradingErrorCode } from './errors';

/**
 * Argument checks shared by every package. Each throws `INVALID_ARGUMENT` (or the given code)
 * with a message naming the field and the received value, and returns the value narrowed.
 */

/**
 * Throws `INVALID_ARGUMENT` (or `code`) worded as every check here words it:
 * `<field> must be <expectation>, got <value>`, with `details: { field, value }`.
 *
 * @example
 * if (side !== 'long' && side !== 'short') throwInvalid('side', '"long" or "short"', side);
 */
export function throwInvalid(field: string, expectation: string, value: unknown, code: AlgoTradingErrorCode = 'INVALID_ARGUMENT'): never {
  throw new AlgoTradingError(code, `${field} must be ${expectation}, got ${describeValue(value)}`, {
    details: { field, value },
  });
}

/** `value` is a finite number > 0 (a predicate: for checks that report instead of throwing). */
export function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** `value` is a finite number (not NaN, not +-Infinity, not a string). */
export function requireFinite(field: string, value: unknown, code: AlgoTradingErrorCode = 'INVALID_ARGUMENT'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throwInvalid(field, 'a finite number', value, code);
  return value;
}

/** `value` is a finite number > 0. */
export function requirePositive(field: string, value: unknown, code: AlgoTradingErrorCode = 'INVALID_ARGUMENT'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throwInvalid(field, 'a finite number greater than 0', value, code);
  }
  return value;
}

/** `value` is a finite number >= 0. */
export function requireNonNegative(
  field: string,
  value: unknown,
  code: AlgoTradingErrorCode = 'INVALID_ARGUMENT',
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throwInvalid(field, 'a finite number greater than or equal to 0', value, code);
  }
  return value;
}

/** `value` is an integer >= `min` (default 0). */
export function requireInteger(
  field: string,
  value: unknown,
  min = 0,
  code: AlgoTradingErrorCode = 'INVALID_ARGUMENT',
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throwInvalid(field, `an integer greater than or equal to ${min}`, value, code);
  }
  return value;
}

/** Bounds of {@link requireInRange}; both ends inclusive unless stated. */
export interface RangeOptions {
  readonly min: number;
  readonly max: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly code?: AlgoTradingErrorCode;
}

/** `value` is a finite number inside the range, e.g. a fraction in (0, 1]. */
export function requireInRange(field: string, value: unknown, range: RangeOptions): number {
  const { min, max, minExclusive = false, maxExclusive = false, code = 'INVALID_ARGUMENT' } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const interval = `${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
    throwInvalid(field, `a number in ${interval}`, value, code);
  }
  return value as number;
}

// ---------------------------------------------------------------------------------------------
// zod helpers: one place for the messages users read, so every package words them the same way.

/** Which ends of a {@link zNumberBetween} range are open. */
export interface BoundsOptions {
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

/**
 * A finite number in [min, max] (either end open with `minExclusive` / `maxExclusive`) with a
 * readable message: `expected a number between 0 and 1`, `... greater than 0 and at most 1`,
 * `... at least 0 and less than 1`, `... greater than 0 and less than 1`.
 */
export function zNumberBetween(min: number, max: number, options: BoundsOptions = {}) {
  const { minExclusive = false, maxExclusive = false } = options;
  const message =
    !minExclusive && !maxExclusive
      ? `expected a number between ${min} and ${max}`
      : `expected a number ${minExclusive ? 'greater than' : 'at least'} ${min} and ${maxExclusive ? 'less than' : 'at most'} ${max}`;
  const number = z.number({ error: message });
  const low = minExclusive ? number.gt(min, { error: message }) : number.min(min, { error: message });
  return maxExclusive ? low.lt(max, { error: message }) : low.max(max, { error: message });
}

/** A fraction in [0, 1]; `minExclusive` / `maxExclusive` open either end ((0, 1], [0, 1), (0, 1)). */
export function zFraction(options: BoundsOptions = {}) {
  return zNumberBetween(0, 1, options);
}

/** A finite number > 0. */
export function zPositive() {
  const message = 'expected a number greater than 0';
  return z.number({ error: message }).gt(0, { error: message }).refine(Number.isFinite, { error: message });
}

/** A finite number >= 0. */
export function zNonNegative() {
  const message = 'expected a number greater than or equal to 0';
  return z.number({ error: message }).min(0, { error: message }).refine(Number.isFinite, { error: message });
}

/** An integer >= min. */
export function zIntegerAtLeast(min: number) {
  const message = `expected an integer greater than or equal to ${min}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message });
}

/** One validation problem of {@link parseOptions}, with a dotted path and the received value. */
export interface OptionIssue {
  readonly path: string;
  readonly message: string;
  readonly received?: unknown;
}

/** How {@link parseOptions} names paths and which error code it throws. */
export interface ParseOptionsSettings {
  /** What is being validated, for the message head, e.g. `FixedFractionalSizing options`. */
  readonly what: string;
  /** Error code on failure; `INVALID_CONFIG` by default. */
  readonly code?: AlgoTradingErrorCode;
  /** Prefix for every path (e.g. `risk_management`). */
  readonly pathPrefix?: string;
}

function valueAtPath(input: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) return { found: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

/** Turns zod issues into `path: message, got value` lines. */
export function formatZodIssues(error: z.ZodError, input: unknown, pathPrefix?: string): OptionIssue[] {
  const out: OptionIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [pathPrefix, ...issue.path.map(String), key].filter(Boolean).join('.');
        out.push({ path, message: 'unknown key (check the spelling)' });
      }
      continue;
    }
    const path = [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)';
    const at = valueAtPath(input, issue.path);
    out.push(at.found ? { path, message: issue.message, received: at.value } : { path, message: issue.message });
  }
  return out;
}

/** Renders {@link OptionIssue}s as one line each. */
export function describeIssues(issues: readonly OptionIssue[]): string {
  return issues
    .map((i) => `${i.path}: ${i.message}${'received' in i ? `, got ${describeValue(i.received)}` : ''}`)
    .join('\n');
}

/**
 * Validates `input` against a zod schema (defaults applied) and returns the parsed value, or throws
 * an `AlgoTradingError` (`INVALID_CONFIG` by default) listing every problem, one per line, as
 * `path: expectation, got value`. `details.issues` holds the structured list.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, settings: ParseOptionsSettings): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = formatZodIssues(result.error, input, settings.pathPrefix);
  const first = issues[0];
  throw new AlgoTradingError(settings.code ?? 'INVALID_CONFIG', `Invalid ${settings.what}:\n${describeIssues(issues)}`, {
    cause: result.error,
    details: { field: first?.path ?? '(root)', value: first?.received, issues },
  });
}
