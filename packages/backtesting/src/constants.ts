/**
 * The backtesting package's constants, in a module that imports nothing: the
 * `@algo-trading/backtesting/constants` entry, for code that needs them (a configuration schema)
 * without loading the engine.
 */

/** What to do with an entry whose bracket level its own fill price has already passed. */
export type PassedLevels = 'exit' | 'reject';
/** Every {@link PassedLevels}. */
export const PASSED_LEVELS = ['exit', 'reject'] as const satisfies readonly PassedLevels[];
