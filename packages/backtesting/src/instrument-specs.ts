import { AlgoTradingError, type CommissionModel } from '@algo-trading/core';
import type { ResolvedInstrumentSpec } from './options';
import type { RejectionReason } from './types';

/**
 * The trading terms of each symbol of a run, resolved once before the loop into columns indexed by
 * the symbol's slot: the loop reads a number where it read the engine's setting, and allocates
 * nothing. A symbol without an `instruments` entry gets the engine's settings.
 */
export interface InstrumentSpecs {
  /** Lot size per slot. */
  readonly lot: Float64Array;
  /** Tick size per slot; 0: prices are not rounded. */
  readonly tick: Float64Array;
  /** 1 where the symbol may be shorted (with `allowShort`), 0 where it may not. */
  readonly shortable: Uint8Array;
  /** Annual borrow rate per slot; NaN: the financing model's. */
  readonly borrowRate: Float64Array;
  /** Commission model per slot. */
  readonly commission: readonly CommissionModel[];
  /** The percent rate of the slot's commission model when it is the percent one (a sizing hint), else NaN. */
  readonly commissionPct: Float64Array;
  /** The `no_short` refusal of each slot (shared, frozen). */
  readonly noShort: readonly (readonly RejectionReason[])[];
}

/** The engine-wide settings an instrument falls back to. */
export interface InstrumentDefaults {
  readonly lotSize: number;
  readonly allowShort: boolean;
  readonly commission: CommissionModel;
  /** The engine's percent commission rate, null when its commission is another model. */
  readonly commissionPct: number | null;
}

const ENGINE_NO_SHORT: readonly RejectionReason[] = Object.freeze([
  Object.freeze({ code: 'no_short', message: 'short selling is disabled (allowShort: false): a sell that would open a short is refused' } as const),
]);

/**
 * Lays `instruments` on the run's `symbols`. Throws `INVALID_CONFIG` naming the key when
 * `instruments` names a symbol that is not in the data.
 */
export function resolveInstrumentSpecs(
  symbols: readonly string[],
  instruments: Readonly<Record<string, ResolvedInstrumentSpec>> | undefined,
  defaults: InstrumentDefaults,
): InstrumentSpecs {
  const given = instruments ?? {};
  for (const key of Object.keys(given)) {
    if (!symbols.includes(key)) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `Invalid BacktestEngine options:\ninstruments.${key}: unknown symbol ${JSON.stringify(key)} (the data has ${symbols.join(', ')})`,
        { details: { field: `instruments.${key}`, value: key } },
      );
    }
  }
  const n = symbols.length;
  const lot = new Float64Array(n);
  const tick = new Float64Array(n);
  const shortable = new Uint8Array(n);
  const borrowRate = new Float64Array(n);
  const commissionPct = new Float64Array(n);
  const commission: CommissionModel[] = [];
  const noShort: (readonly RejectionReason[])[] = [];
  for (let k = 0; k < n; k++) {
    const symbol = symbols[k]!;
    const spec = Object.hasOwn(given, symbol) ? given[symbol] : undefined;
    lot[k] = spec?.lotSize ?? defaults.lotSize;
    tick[k] = spec?.tickSize ?? 0;
    const canShort = spec?.shortable ?? true;
    shortable[k] = canShort ? 1 : 0;
    borrowRate[k] = spec?.borrowRate ?? Number.NaN;
    if (spec?.commission === undefined) {
      commission.push(defaults.commission);
      commissionPct[k] = defaults.commissionPct ?? Number.NaN;
    } else {
      commission.push(spec.commission.model);
      commissionPct[k] = spec.commission.percent ?? Number.NaN;
    }
    noShort.push(
      !canShort && defaults.allowShort
        ? Object.freeze([
            Object.freeze({
              code: 'no_short',
              message: `${symbol} cannot be shorted (instruments.${symbol}.shortable: false): a sell that would open a short is refused`,
            } as const),
          ])
        : ENGINE_NO_SHORT,
    );
  }
  return { lot, tick, shortable, borrowRate, commission, commissionPct, noShort };
}
