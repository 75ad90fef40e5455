import type { BarSeriesSource } from '@algo-trading/data';

/**
 * Bars accepted by the feature and label builders: a `BarSeries` or anything
 * `@algo-trading/data`'s `toBarSeries` converts (columns, rows, a price-only series, a DataFrame).
 */
export type BarsInput = BarSeriesSource;
