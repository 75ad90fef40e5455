/**
 * `@algo-trading/sizing`: pure, exact position sizers implementing core's `PositionSizer`.
 * @packageDocumentation
 */
export {
  FixedFractionalSizing,
  fixedFractionalOptionsSchema,
  type FixedFractionalOptions,
  type ResolvedFixedFractionalOptions,
} from './fixed-fractional';
export { KellyCriterion, kellyOptionsSchema, type KellyOptions, type ResolvedKellyOptions } from './kelly';
export {
  ConfidenceBasedSizing,
  confidenceBasedOptionsSchema,
  type ConfidenceBasedOptions,
  type ResolvedConfidenceBasedOptions,
} from './confidence-based';
export {
  PercentOfEquitySizing,
  percentOfEquityOptionsSchema,
  type PercentOfEquityOptions,
  type ResolvedPercentOfEquityOptions,
} from './percent-of-equity';
export {
  SIZING_METHODS,
  createPositionSizer,
  isSizingMethod,
  type SizerByMethod,
  type SizerOptionsByMethod,
  type SizingMethod,
} from './factory';
export { DEFAULT_LOT_SIZE, DEFAULT_MAX_POSITION_FRACTION } from './options';
// Re-exported for convenience: the interface and the request/result types every sizer uses.
export type { PositionSizer, SizingLimit, SizingRequest, SizingResult } from '@algo-trading/core';
