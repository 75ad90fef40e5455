import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * Timeframes name the spacing of a series of bars: a positive count and a unit, `s` (seconds),
 * `m` (minutes), `h` (hours), `d` (days), `w` (weeks), `M` (months) or `y` (years): `1m`, `5m`,
 * `1h`, `1d`, `1w`, `1M`. Case matters: `1m` is a minute, `1M` a month.
 */
export const TIMEFRAME_PATTERN = /^[1-9][0-9]{0,5}(s|m|h|d|w|M|y)$/;

/** True when `value` is a timeframe such as `1m`, `4h`, `1d` or `1M` ({@link TIMEFRAME_PATTERN}). */
export function isTimeframe(value: unknown): value is string {
  return typeof value === 'string' && TIMEFRAME_PATTERN.test(value);
}

/** Throws `INVALID_ARGUMENT` naming `field` unless `value` is a timeframe. */
export function requireTimeframe(field: string, value: unknown): string {
  if (!isTimeframe(value)) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `${field} must be a timeframe such as 1m, 5m, 1h, 1d, 1w or 1M (a count and one of s, m, h, d, w, M, y), got ${describeValue(value)}`,
      { details: { field, value } },
    );
  }
  return value;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/**
 * The timeframe of bars spaced `spacingMs` apart (the median gap between consecutive bars):
 * 28 to 31 days is `1M`, 365 or 366 days `1y`, whole weeks `Nw`, whole days `Nd`, whole hours
 * `Nh`, whole minutes `Nm`, whole seconds `Ns`. Undefined for any other spacing (irregular or
 * sub-second data): then the caller must name the timeframe.
 *
 * @example
 * timeframeFromSpacing(60_000);      // '1m'
 * timeframeFromSpacing(86_400_000);  // '1d'
 */
export function timeframeFromSpacing(spacingMs: number): string | undefined {
  if (!Number.isFinite(spacingMs) || spacingMs <= 0 || !Number.isInteger(spacingMs)) return undefined;
  if (spacingMs >= 28 * DAY && spacingMs <= 31 * DAY) return '1M';
  if (spacingMs === 365 * DAY || spacingMs === 366 * DAY) return '1y';
  const units: readonly [number, string][] = [
    [WEEK, 'w'],
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
    [SECOND, 's'],
  ];
  for (const [size, unit] of units) {
    if (spacingMs % size === 0) {
      const count = spacingMs / size;
      const name = `${count}${unit}`;
      return isTimeframe(name) ? name : undefined;
    }
  }
  return undefined;
}

/** A parsed `store:` data reference: which symbols, at which timeframe. */
export interface StoreReference {
  /** Symbols in the order written, without duplicates. */
  readonly symbols: readonly string[];
  /** The timeframe after `@`; undefined when omitted (the store picks the symbol's only timeframe). */
  readonly timeframe: string | undefined;
}

/** The prefix of a store reference. */
export const STORE_REFERENCE_PREFIX = 'store:';

/** Characters a symbol may not contain: white space, control characters, and the `,` and `@` of store references. */
// eslint-disable-next-line no-control-regex -- control characters are what it excludes
const SYMBOL_PATTERN = /^[^\s,@\x00-\x1f\x7f]+$/;

/** True when `value` can be a stored symbol: non-empty, without white space, `,` or `@`. */
export function isValidSymbol(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && SYMBOL_PATTERN.test(value);
}

/** Throws `INVALID_ARGUMENT` naming `field` unless `value` is a valid symbol ({@link isValidSymbol}). */
export function requireSymbol(field: string, value: unknown): string {
  if (!isValidSymbol(value)) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `${field} must be a symbol of 1 to 64 characters without white space, "," or "@", got ${describeValue(value)}`,
      { details: { field, value } },
    );
  }
  return value;
}

/** True when `text` starts with `store:` (a reference to bars in the store, e.g. `store:SPY,QQQ@1d`). */
export function isStoreReference(text: unknown): text is string {
  return typeof text === 'string' && text.startsWith(STORE_REFERENCE_PREFIX);
}

/**
 * Parses a data reference `store:SYMBOL[,SYMBOL...][@TIMEFRAME]`, e.g. `store:SPY`,
 * `store:SPY,QQQ@1d`. Spaces around symbols are ignored; duplicates are dropped.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` naming the reference and what is wrong with it.
 *
 * @example
 * parseStoreReference('store:SPY,QQQ@1d'); // { symbols: ['SPY', 'QQQ'], timeframe: '1d' }
 */
export function parseStoreReference(text: string): StoreReference {
  const fail = (reason: string): never => {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `invalid store reference ${describeValue(text)}: ${reason} (expected store:SYMBOL[,SYMBOL...][@TIMEFRAME], e.g. store:SPY,QQQ@1d)`,
      { details: { field: 'data', value: text } },
    );
  };
  if (!isStoreReference(text)) return fail(`it must start with "${STORE_REFERENCE_PREFIX}"`);
  const body = text.slice(STORE_REFERENCE_PREFIX.length);
  const at = body.indexOf('@');
  if (at !== body.lastIndexOf('@')) fail('it has more than one "@"');
  const list = at < 0 ? body : body.slice(0, at);
  const timeframe = at < 0 ? undefined : body.slice(at + 1).trim();
  const symbols: string[] = [];
  for (const raw of list.split(',')) {
    const symbol = raw.trim();
    if (symbol === '') fail('a symbol is empty');
    if (!isValidSymbol(symbol)) fail(`symbol ${describeValue(symbol)} is not 1 to 64 characters without white space`);
    if (!symbols.includes(symbol)) symbols.push(symbol);
  }
  if (timeframe !== undefined && !isTimeframe(timeframe)) {
    fail(`timeframe ${describeValue(timeframe)} is not a count and one of s, m, h, d, w, M, y (e.g. 1d)`);
  }
  return { symbols, timeframe };
}

/** Writes a {@link StoreReference} back as text: `store:SPY,QQQ@1d`. */
export function formatStoreReference(reference: StoreReference): string {
  const symbols = reference.symbols.map((s, i) => requireSymbol(`symbols[${i}]`, s));
  if (symbols.length === 0) {
    throw new AlgoTradingError('INVALID_ARGUMENT', 'symbols must name at least one symbol', { details: { field: 'symbols', value: [] } });
  }
  const timeframe = reference.timeframe === undefined ? '' : `@${requireTimeframe('timeframe', reference.timeframe)}`;
  return `${STORE_REFERENCE_PREFIX}${symbols.join(',')}${timeframe}`;
}
