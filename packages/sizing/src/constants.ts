/**
 * The sizing package's constants, in a module that imports nothing: the
 * `@algo-trading/sizing/constants` entry, for code that needs them (a configuration schema)
 * without loading the sizers.
 */

/** The sizing method names of the configuration file. */
export const SIZING_METHODS = ['fixed_fractional', 'kelly', 'confidence_based', 'percent_of_equity'] as const;

/** One of {@link SIZING_METHODS}. */
export type SizingMethod = (typeof SIZING_METHODS)[number];
