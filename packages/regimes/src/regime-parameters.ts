import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { WARMUP_LABEL } from './labels';

function labelAt(labels: ArrayLike<number>, t: number, regimes: number): number {
  const label = labels[t];
  if (label === WARMUP_LABEL || (typeof label === 'number' && label !== label)) return WARMUP_LABEL;
  if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= regimes) {
    throw new AlgoTradingError('INVALID_DATA', `labels[${t}] must be -1 or an integer in [0, ${regimes - 1}], got ${describeValue(label)}`, {
      details: { field: 'labels', index: t, value: label },
    });
  }
  return label;
}

function requireLabels(labels: unknown): ArrayLike<number> {
  if (typeof labels !== 'object' || labels === null || typeof (labels as ArrayLike<number>).length !== 'number') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `labels must be an array of regime labels, got ${describeValue(labels)}`, {
      details: { field: 'labels', value: labels },
    });
  }
  return labels as ArrayLike<number>;
}

/** Options of {@link regimeParameter}. */
export interface RegimeParameterOptions {
  /** Regime label per bar (-1 = warm-up), e.g. a regime result's `labels`. */
  readonly labels: ArrayLike<number>;
  /** The parameter's value in each regime, by label (e.g. a confidence threshold per regime). */
  readonly values: readonly number[];
  /** The value during the warm-up. Default NaN (no value: a threshold of NaN never passes). */
  readonly warmup?: number;
}

/**
 * A strategy parameter per bar from the regime labels: `values[label[t]]`, `warmup` where the
 * label is -1. For example a stricter confidence threshold in the volatile regime:
 * `regimeParameter({ labels: wf.labels, values: [0.55, 0.65], warmup: 0.65 })`.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` for an empty or non-finite `values`,
 * `INVALID_DATA` for a label outside -1 .. values.length - 1.
 */
export function regimeParameter(options: RegimeParameterOptions): Float64Array {
  const labels = requireLabels(options.labels);
  const { values, warmup = Number.NaN } = options;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `values must be a non-empty array of finite numbers (one per regime), got ${describeValue(values)}`, {
      details: { field: 'values', value: values },
    });
  }
  if (typeof warmup !== 'number') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `warmup must be a number, got ${describeValue(warmup)}`, { details: { field: 'warmup', value: warmup } });
  }
  const out = new Float64Array(labels.length);
  for (let t = 0; t < labels.length; t++) {
    const label = labelAt(labels, t, values.length);
    out[t] = label === WARMUP_LABEL ? warmup : values[label]!;
  }
  return out;
}

/** Options of {@link selectByRegime}. */
export interface SelectByRegimeOptions {
  /** Regime label per bar (-1 = warm-up). */
  readonly labels: ArrayLike<number>;
  /** One series per regime, each aligned with the bars (e.g. the signals of a strategy tuned for that regime). */
  readonly series: readonly ArrayLike<number>[];
  /** Value (or series) used during the warm-up. Default NaN. */
  readonly warmup?: number | ArrayLike<number>;
}

/**
 * Picks, bar by bar, the value of the series that belongs to the current regime:
 * `series[label[t]][t]`. With per-regime thresholds this combines the signals of one strategy
 * run once per threshold: `selectByRegime({ labels, series: thresholds.map((th) => strategy.applyThreshold(p, th).signals) })`.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` when a series' length differs from the labels',
 * `INVALID_DATA` for a label outside -1 .. series.length - 1.
 */
export function selectByRegime(options: SelectByRegimeOptions): Float64Array {
  const labels = requireLabels(options.labels);
  const { series, warmup = Number.NaN } = options;
  const n = labels.length;
  if (!Array.isArray(series) || series.length === 0) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `series must be a non-empty array (one series per regime), got ${describeValue(series)}`, {
      details: { field: 'series', value: series },
    });
  }
  series.forEach((s, k) => {
    if (typeof s !== 'object' || s === null || s.length !== n) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `series[${k}] must have ${n} values (one per label), got ${describeValue(s)}`, {
        details: { field: `series[${k}]`, value: s },
      });
    }
  });
  if (typeof warmup !== 'number' && (typeof warmup !== 'object' || warmup === null || warmup.length !== n)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `warmup must be a number or a series of ${n} values, got ${describeValue(warmup)}`, {
      details: { field: 'warmup', value: warmup },
    });
  }
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const label = labelAt(labels, t, series.length);
    out[t] = label === WARMUP_LABEL ? (typeof warmup === 'number' ? warmup : warmup[t]!) : series[label]![t]!;
  }
  return out;
}
