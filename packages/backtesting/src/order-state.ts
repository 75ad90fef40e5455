import {
  LevelKind,
  ORDER_TYPES,
  describeValue,
  stopInForce,
  type BracketSpec,
  type LevelKindCode,
  type OrderRequest,
  type OrderRole,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type RestingLevel,
  type TimeInForce,
  type Trail,
} from '@algo-trading/core';
import type { RejectionReason } from './types';

/** Time-in-force kinds as small codes. */
export const Tif = { GTC: 0, DAY: 1, IOC: 2, BARS: 3 } as const;
/** One of {@link Tif}. */
export type TifCode = (typeof Tif)[keyof typeof Tif];

/** Where a fill happens in a bar. */
export const Where = { OPEN: 0, INTRABAR: 1, CLOSE: 2 } as const;
/** One of {@link Where}. */
export type WhereCode = (typeof Where)[keyof typeof Where];

/** The definition of a new order, validated. Build one with {@link orderSpec}. */
export interface OrderSpec {
  slot: number;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  role: OrderRole;
  /** NaN: sized at the fill (entries) or the whole position (reduce-only). */
  quantity: number;
  limitPrice: number;
  stopPrice: number;
  trailPercent: number;
  trailAmount: number;
  activationPrice: number;
  timeInForce: TimeInForce;
  reduceOnly: boolean;
  ocoGroup: string | null;
  bracket: BracketSpec | null;
  confidence: number;
  tag: string | null;
  /** A time stop: inactive until a bar closes at or after this time (NaN: active at once). */
  activeFrom: number;
}

/** A spec with every field set (prices NaN, `gtc`, no group), to fill in: every spec has one shape. */
export function orderSpec(slot: number, symbol: string, side: OrderSide, type: OrderType, role: OrderRole): OrderSpec {
  return {
    slot,
    symbol,
    side,
    type,
    role,
    quantity: Number.NaN,
    limitPrice: Number.NaN,
    stopPrice: Number.NaN,
    trailPercent: Number.NaN,
    trailAmount: Number.NaN,
    activationPrice: Number.NaN,
    timeInForce: 'gtc',
    reduceOnly: false,
    ocoGroup: null,
    bracket: null,
    confidence: Number.NaN,
    tag: null,
    activeFrom: Number.NaN,
  };
}

/**
 * Rewrites `spec` as a fresh {@link orderSpec}: the engine fills one scratch spec for each order
 * it makes (an `OrderState` copies what it needs), instead of a new object per order.
 */
export function resetSpec(spec: OrderSpec, slot: number, symbol: string, side: OrderSide, type: OrderType, role: OrderRole): OrderSpec {
  spec.slot = slot;
  spec.symbol = symbol;
  spec.side = side;
  spec.type = type;
  spec.role = role;
  spec.quantity = Number.NaN;
  spec.limitPrice = Number.NaN;
  spec.stopPrice = Number.NaN;
  spec.trailPercent = Number.NaN;
  spec.trailAmount = Number.NaN;
  spec.activationPrice = Number.NaN;
  spec.timeInForce = 'gtc';
  spec.reduceOnly = false;
  spec.ocoGroup = null;
  spec.bracket = null;
  spec.confidence = Number.NaN;
  spec.tag = null;
  spec.activeFrom = Number.NaN;
  return spec;
}

/** Removes `list[k]` in place, keeping the order (no array is allocated, unlike `splice`). */
export function removeAt<T>(list: T[], k: number): void {
  const n = list.length - 1;
  for (let j = k; j < n; j++) list[j] = list[j + 1]!;
  list.pop(); // inlined, where `length = n` is a runtime call
}

/**
 * A live order inside the engine: its definition and its mutable state. The order book keeps
 * the live ones; once an order ends, only its row in the order log remains, and the object is
 * reused for a later order ({@link init}): relations to other orders are ids, never references.
 */
export class OrderState implements RestingLevel, Trail {
  /** Assigned when the order is recorded in the log (-1 before). */
  id = -1;
  slot = 0;
  symbol = '';
  side: OrderSide = 'buy';
  /** 1 buy, -1 sell. */
  direction: 1 | -1 = 1;
  type: OrderType = 'market';
  role: OrderRole = 'order';
  /** Units ordered; NaN until sized (entries) or for "the whole position" (reduce-only). */
  quantity = Number.NaN;
  filled = 0;
  filledNotional = 0;
  commission = 0;
  limitPrice = Number.NaN;
  stopPrice = Number.NaN;
  trailPercent = Number.NaN;
  trailAmount = Number.NaN;
  activationPrice = Number.NaN;
  /** Trailing state: the best price seen and the armed trail level (NaN until armed). */
  extreme = Number.NaN;
  trailLevel = Number.NaN;
  /**
   * The level it rests at now and its kind (core `RestingLevel`), kept up to date by
   * {@link refreshLevel} when the order triggers or its trail moves: fields, so the per-bar
   * matching reads them instead of computing them.
   */
  kind: LevelKindCode = LevelKind.STOP;
  level = Number.NaN;
  /** A stop-limit whose stop was reached: it is a limit order now. */
  triggered = false;
  timeInForce: TimeInForce = 'gtc';
  tif: TifCode = Tif.GTC;
  /** Last bar a `{ bars: n }` order may fill in (Infinity otherwise). */
  lastBar = Number.POSITIVE_INFINITY;
  /** End of the day of a `day` order's first look, epoch ms (NaN before). */
  dayEnd = Number.NaN;
  reduceOnly = false;
  /** The strategy's OCO group name (bracket children have none: they share their entry's id as key). */
  ocoGroup: string | null = null;
  /** Orders with the same key cancel each other: the group name, or the entry id of a bracket's children. */
  ocoKey: string | number | null = null;
  bracket: BracketSpec | null = null;
  confidence = Number.NaN;
  tag: string | null = null;
  /** The entry order of a bracket child (-1 none). */
  parentId = -1;
  /** Quantity sized by the engine at its first fill (its remainder is cut to the cash, not refused). */
  sized = false;
  /** The protective children were placed (at the first opening fill). */
  protectionPlaced = false;
  /** Bar of its final state (-1 while live). */
  finalBar = -1;
  /** The order this one replaced (-1 none). */
  replacesId = -1;
  /** Time stop: inactive until a bar closes at or after it (NaN: active). */
  activeFrom = Number.NaN;
  active = true;
  /** First bar whose open the order may fill at. */
  liveFrom = 0;
  /** First bar whose intrabar path it is matched along (the bar of an open fill for its children). */
  pathFrom = 0;
  /** First looks at the close of its submission bar (`fillAt: 'close'`). */
  closeLook = false;
  /** The first look happened (IOC orders end after it). */
  looked = false;
  createdBar = 0;
  /** Bar of the last execution attempt: an order executes at most once per bar. */
  doneInBar = -1;
  status: OrderStatus = 'accepted';
  submittedBar = 0;
  /** Made by the engine from a signal (recorded at its first look, so repeated refusals can be counted). */
  fromSignal = false;
  /** Stop at entry for a filled entry's trades (R multiples); NaN when none. */
  initialStop = Number.NaN;
  /** Why the order ended (cancelled, expired, rejected), or null. */
  message: string | null = null;
  rejectReasons: readonly RejectionReason[] | null = null;

  constructor(spec: OrderSpec, bar: number) {
    this.init(spec, bar);
  }

  /** (Re)starts this object as a new order from `spec`, submitted at bar `bar`: every field is set. */
  init(spec: OrderSpec, bar: number): this {
    this.id = -1;
    this.slot = spec.slot;
    this.symbol = spec.symbol;
    this.side = spec.side;
    this.direction = spec.side === 'buy' ? 1 : -1;
    this.type = spec.type;
    this.role = spec.role;
    this.quantity = spec.quantity;
    this.filled = 0;
    this.filledNotional = 0;
    this.commission = 0;
    this.limitPrice = spec.limitPrice;
    this.stopPrice = spec.stopPrice;
    this.trailPercent = spec.trailPercent;
    this.trailAmount = spec.trailAmount;
    this.activationPrice = spec.activationPrice;
    this.extreme = Number.NaN;
    this.trailLevel = Number.NaN;
    this.triggered = false;
    const tif = spec.timeInForce;
    this.timeInForce = tif;
    this.tif = typeof tif === 'object' ? Tif.BARS : tif === 'day' ? Tif.DAY : tif === 'ioc' ? Tif.IOC : Tif.GTC;
    this.lastBar = typeof tif === 'object' ? bar + tif.bars : Number.POSITIVE_INFINITY;
    this.dayEnd = Number.NaN;
    this.reduceOnly = spec.reduceOnly;
    this.ocoGroup = spec.ocoGroup;
    this.ocoKey = spec.ocoGroup;
    this.bracket = spec.bracket;
    this.confidence = spec.confidence;
    this.tag = spec.tag;
    this.parentId = -1;
    this.sized = false;
    this.protectionPlaced = false;
    this.finalBar = -1;
    this.replacesId = -1;
    this.activeFrom = spec.activeFrom;
    this.active = spec.activeFrom !== spec.activeFrom;
    this.liveFrom = bar + 1;
    this.pathFrom = bar + 1;
    this.closeLook = false;
    this.looked = false;
    this.createdBar = bar;
    this.doneInBar = -1;
    this.status = 'accepted';
    this.submittedBar = bar;
    this.fromSignal = false;
    this.initialStop = Number.NaN;
    this.message = null;
    this.rejectReasons = null;
    this.refreshLevel();
    return this;
  }

  /**
   * Recomputes {@link kind} and {@link level}: a limit (or a triggered stop-limit) rests at its
   * limit; a stop (or an untriggered stop-limit) at its stop; a trailing stop at the tighter of its
   * initial stop and its armed trail; a market order at no level.
   */
  refreshLevel(): void {
    const type = this.type;
    if (type === 'limit' || (type === 'stop_limit' && this.triggered)) {
      this.kind = LevelKind.LIMIT;
      this.level = this.limitPrice;
      return;
    }
    this.kind = LevelKind.STOP;
    this.level = type === 'trailing_stop' ? stopInForce(this.direction, this.stopPrice, this.trailLevel) : type === 'market' ? Number.NaN : this.stopPrice;
  }

  /** True while the order can still fill. */
  get live(): boolean {
    return this.status === 'accepted' || this.status === 'partially_filled';
  }

  /** Units still to fill (NaN when sized at the fill or the whole position). */
  get remaining(): number {
    return this.quantity - this.filled;
  }
}

function reason(code: RejectionReason['code'], message: string): RejectionReason {
  return { code, message };
}

const REQUEST_KEYS = new Set([
  'symbol',
  'side',
  'type',
  'quantity',
  'limitPrice',
  'stopPrice',
  'trailPercent',
  'trailAmount',
  'activationPrice',
  'timeInForce',
  'reduceOnly',
  'ocoGroup',
  'bracket',
  'confidence',
  'tag',
]);
const BRACKET_KEYS = new Set(['stopLoss', 'takeProfit', 'trailing']);
const TRAILING_KEYS = new Set(['percent', 'amount', 'activationPrice']);

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** The time in force, or a problem. */
/**
 * The own enumerable keys of a request's objects are walked with `for...in` and an own-key test:
 * the keys of `Object.keys`, in its order, without an array for every submitted order.
 */
function ownKeyCount(value: object): number {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count;
}

function checkTimeInForce(value: unknown, problems: string[]): TimeInForce {
  if (value === undefined) return 'gtc';
  if (value === 'gtc' || value === 'day' || value === 'ioc') return value;
  if (typeof value === 'object' && value !== null && ownKeyCount(value) === 1) {
    const bars = (value as { bars?: unknown }).bars;
    if (typeof bars === 'number' && Number.isSafeInteger(bars) && bars >= 1) return { bars };
  }
  problems.push(`timeInForce must be 'gtc', 'day', 'ioc' or { bars: n } with an integer n >= 1, got ${describeValue(value)}`);
  return 'gtc';
}

/** The bracket, or problems. */
function checkBracket(value: unknown, side: OrderSide, problems: string[]): BracketSpec | null {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null) {
    problems.push(`bracket must be an object { stopLoss?, takeProfit?, trailing? }, got ${describeValue(value)}`);
    return null;
  }
  const b = value as Record<string, unknown>;
  for (const key in b) if (Object.hasOwn(b, key) && !BRACKET_KEYS.has(key)) problems.push(`bracket.${key} is not an order field`);
  const { stopLoss, takeProfit, trailing } = b;
  if (stopLoss !== undefined && !isPrice(stopLoss)) problems.push(`bracket.stopLoss must be a finite price greater than 0, got ${describeValue(stopLoss)}`);
  if (takeProfit !== undefined && !isPrice(takeProfit)) problems.push(`bracket.takeProfit must be a finite price greater than 0, got ${describeValue(takeProfit)}`);
  if (isPrice(stopLoss) && isPrice(takeProfit) && (side === 'buy' ? stopLoss >= takeProfit : stopLoss <= takeProfit)) {
    problems.push(`bracket.stopLoss ${stopLoss} must be ${side === 'buy' ? 'below' : 'above'} bracket.takeProfit ${takeProfit} for a ${side}`);
  }
  let trail: BracketSpec['trailing'];
  if (trailing !== undefined) {
    if (typeof trailing !== 'object' || trailing === null) {
      problems.push(`bracket.trailing must be an object { percent | amount, activationPrice? }, got ${describeValue(trailing)}`);
    } else {
      const t = trailing as Record<string, unknown>;
      for (const key in t) if (Object.hasOwn(t, key) && !TRAILING_KEYS.has(key)) problems.push(`bracket.trailing.${key} is not a trailing field`);
      checkTrail('bracket.trailing.percent', t['percent'], 'bracket.trailing.amount', t['amount'], problems);
      if (t['activationPrice'] !== undefined && !isPrice(t['activationPrice'])) {
        problems.push(`bracket.trailing.activationPrice must be a finite price greater than 0, got ${describeValue(t['activationPrice'])}`);
      }
      trail = t as BracketSpec['trailing'];
    }
  }
  return { stopLoss: stopLoss as number | undefined, takeProfit: takeProfit as number | undefined, trailing: trail };
}

function checkTrail(percentField: string, percent: unknown, amountField: string, amount: unknown, problems: string[]): void {
  if ((percent === undefined) === (amount === undefined)) {
    problems.push(`give exactly one of ${percentField} and ${amountField}`);
    return;
  }
  if (percent !== undefined && !(typeof percent === 'number' && percent > 0 && percent < 1)) {
    problems.push(`${percentField} must be a fraction greater than 0 and less than 1, got ${describeValue(percent)}`);
  }
  if (amount !== undefined && !isPrice(amount)) problems.push(`${amountField} must be a finite distance greater than 0, got ${describeValue(amount)}`);
}

/** The context {@link validateRequest} checks a request against. */
export interface RequestContext {
  /** Symbol of the run (the only instrument of a single-series run). */
  readonly symbols: readonly string[];
  /** Signed position in each instrument slot (quantity x direction). */
  positionOf(slot: number): number;
  /** The spec an accepted request is written to (the engine's reused scratch spec, see {@link resetSpec}). */
  readonly spec: OrderSpec;
}

/**
 * Checks a strategy's order request. Returns the order's spec (`context.spec`, rewritten), or the
 * reasons it is rejected (inconsistent orders are rejections, not exceptions): an unknown field or
 * symbol, a missing or invalid price, a stop-limit whose limit is on the wrong side of its stop, a
 * quantity that is not a finite number greater than 0, a reduce-only order that would increase the
 * position.
 */
export function validateRequest(request: unknown, context: RequestContext): { spec: OrderSpec } | { reasons: RejectionReason[]; side: OrderSide } {
  if (typeof request !== 'object' || request === null) {
    return { reasons: [reason('invalid_order', `the order must be an object, got ${describeValue(request)}`)], side: 'buy' };
  }
  const r = request as Record<string, unknown> & OrderRequest;
  const problems: string[] = [];
  for (const key in r) if (Object.hasOwn(r, key) && !REQUEST_KEYS.has(key)) problems.push(`${key} is not an order field`);
  const side = r.side;
  if (side !== 'buy' && side !== 'sell') problems.push(`side must be 'buy' or 'sell', got ${describeValue(side)}`);
  const okSide: OrderSide = side === 'sell' ? 'sell' : 'buy';
  const type = r.type ?? 'market';
  if (!(ORDER_TYPES as readonly unknown[]).includes(type)) problems.push(`type must be one of ${ORDER_TYPES.join(', ')}, got ${describeValue(type)}`);
  let slot = 0;
  if (r.symbol !== undefined) {
    slot = context.symbols.indexOf(r.symbol);
    if (slot < 0) {
      return { reasons: [reason('unknown_symbol', `symbol ${describeValue(r.symbol)} is not in the run (symbols: ${context.symbols.join(', ')})`)], side: okSide };
    }
  }
  const quantity = r.quantity;
  if (quantity !== undefined && !isPrice(quantity)) problems.push(`quantity must be a finite number greater than 0, got ${describeValue(quantity)}`);
  const needsLimit = type === 'limit' || type === 'stop_limit';
  const needsStop = type === 'stop' || type === 'stop_limit';
  if (needsLimit && !isPrice(r.limitPrice)) problems.push(`a ${type} order needs limitPrice, a finite price greater than 0, got ${describeValue(r.limitPrice)}`);
  if (!needsLimit && r.limitPrice !== undefined) problems.push(`limitPrice is for limit and stop_limit orders, not ${type}`);
  if (needsStop && !isPrice(r.stopPrice)) problems.push(`a ${type} order needs stopPrice, a finite price greater than 0, got ${describeValue(r.stopPrice)}`);
  if (type === 'trailing_stop') {
    checkTrail('trailPercent', r.trailPercent, 'trailAmount', r.trailAmount, problems);
    if (r.stopPrice !== undefined && !isPrice(r.stopPrice)) problems.push(`stopPrice (the initial level) must be a finite price greater than 0, got ${describeValue(r.stopPrice)}`);
    if (r.activationPrice !== undefined && !isPrice(r.activationPrice)) problems.push(`activationPrice must be a finite price greater than 0, got ${describeValue(r.activationPrice)}`);
  } else {
    if (!needsStop && r.stopPrice !== undefined) problems.push(`stopPrice is for stop, stop_limit and trailing_stop orders, not ${type}`);
    for (const key of ['trailPercent', 'trailAmount', 'activationPrice'] as const) {
      if (r[key] !== undefined) problems.push(`${key} is for trailing_stop orders, not ${type}`);
    }
  }
  if (type === 'stop_limit' && isPrice(r.limitPrice) && isPrice(r.stopPrice)) {
    if (okSide === 'buy' ? r.limitPrice < r.stopPrice : r.limitPrice > r.stopPrice) {
      problems.push(
        `the limit of a ${okSide} stop_limit must be ${okSide === 'buy' ? 'at or above' : 'at or below'} its stop: limitPrice ${r.limitPrice}, stopPrice ${r.stopPrice}`,
      );
    }
  }
  const timeInForce = checkTimeInForce(r.timeInForce, problems);
  if (r.reduceOnly !== undefined && typeof r.reduceOnly !== 'boolean') problems.push(`reduceOnly must be true or false, got ${describeValue(r.reduceOnly)}`);
  if (r.ocoGroup !== undefined && !(typeof r.ocoGroup === 'string' && r.ocoGroup !== '')) {
    problems.push(`ocoGroup must be a non-empty string, got ${describeValue(r.ocoGroup)}`);
  }
  const bracket = checkBracket(r.bracket, okSide, problems);
  if (bracket !== null && r.reduceOnly === true) problems.push('a reduceOnly order cannot carry a bracket: its children protect a position it opens');
  const confidence = r.confidence;
  if (confidence !== undefined && !(typeof confidence === 'number' && (Number.isNaN(confidence) || (confidence >= 0 && confidence <= 1)))) {
    problems.push(`confidence must be a number in [0, 1] (or NaN for none), got ${describeValue(confidence)}`);
  }
  if (r.tag !== undefined && typeof r.tag !== 'string') problems.push(`tag must be a string, got ${describeValue(r.tag)}`);
  if (problems.length > 0) return { reasons: [reason('invalid_order', problems.join('; '))], side: okSide };
  if (r.reduceOnly === true) {
    const position = context.positionOf(slot);
    const direction = okSide === 'buy' ? 1 : -1;
    if (position === 0 || Math.sign(position) === direction) {
      return {
        reasons: [reason('reduce_only', `a reduceOnly ${okSide} would ${position === 0 ? 'open a position (none is open)' : 'increase the position'}`)],
        side: okSide,
      };
    }
  }
  const spec = resetSpec(context.spec, slot, context.symbols[slot]!, okSide, type as OrderType, 'order');
  spec.quantity = quantity ?? Number.NaN;
  spec.limitPrice = r.limitPrice ?? Number.NaN;
  spec.stopPrice = r.stopPrice ?? Number.NaN;
  spec.trailPercent = r.trailPercent ?? Number.NaN;
  spec.trailAmount = r.trailAmount ?? Number.NaN;
  spec.activationPrice = r.activationPrice ?? Number.NaN;
  spec.timeInForce = timeInForce;
  spec.reduceOnly = r.reduceOnly === true;
  spec.ocoGroup = r.ocoGroup ?? null;
  spec.bracket = bracket;
  spec.confidence = confidence ?? Number.NaN;
  spec.tag = r.tag ?? null;
  return { spec };
}
