import { createRequire } from 'node:module';
import { canonicalJson, hashBarSeries, isBarSeries, sha256Hex, type BarSeries, type Universe } from '@algo-trading/core';

export { canonicalJson } from '@algo-trading/core';

/** Packages whose versions every manifest records. */
export const MANIFEST_PACKAGES = [
  '@algo-trading/cli',
  '@algo-trading/core',
  '@algo-trading/data',
  '@algo-trading/sizing',
  '@algo-trading/risk',
  '@algo-trading/metrics',
  '@algo-trading/backtesting',
  '@algo-trading/strategies',
  '@algo-trading/strategies-tfjs',
  'echarts',
] as const;

/**
 * What is needed to reproduce a run: the versions of the code, hashes of the configuration and
 * of the data, and the seed.
 */
export interface RunManifest {
  /** Versions of the algo-trading packages (and echarts), `unknown` when not resolvable. */
  readonly packages: Readonly<Record<string, string>>;
  readonly node: string;
  readonly platform: string;
  /** sha256 of the resolved configuration (keys sorted), hex. */
  readonly configHash: string;
  /** sha256 of the bar columns (time, open, high, low, close, volume as float64) and the symbol, hex. */
  readonly dataHash: string;
  /** Seed of model initialisation, shuffling and splits; null when nothing random ran. */
  readonly seed: number | null;
  /** When the run finished, ISO 8601. */
  readonly createdAt: string;
  /** The command line after `algo-trading`. */
  readonly argv: readonly string[];
  /** Anything else (e.g. the TensorFlow.js backend). */
  readonly notes: Readonly<Record<string, string>>;
}

const requireHere = createRequire(import.meta.url);

/** The installed version of each of {@link MANIFEST_PACKAGES} (read from its package.json). */
export function packageVersions(names: readonly string[] = MANIFEST_PACKAGES): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    try {
      out[name] = (requireHere(`${name}/package.json`) as { version?: string }).version ?? 'unknown';
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}

/** sha256 (hex) of the canonical JSON of a configuration. */
export function hashConfig(config: unknown): string {
  return sha256Hex(canonicalJson(config));
}

/** sha256 (hex) of a bar series' columns and symbol: same bars, same hash, whatever file they came from. */
export function hashBars(bars: BarSeries): string {
  return hashBarSeries(bars);
}

/**
 * sha256 (hex) of a universe: of the symbols in order, each with {@link hashBars} of its series.
 * Same series under the same symbols, same hash.
 */
export function hashUniverse(universe: Universe): string {
  return sha256Hex(canonicalJson([...universe].map(([symbol, bars]) => [symbol, hashBars(bars)])));
}

/** Options of {@link buildManifest}. */
export interface BuildManifestOptions {
  readonly config: unknown;
  /** The data of the run: one series or a universe ({@link hashUniverse}). */
  readonly bars: BarSeries | Universe;
  readonly seed: number | null;
  readonly argv: readonly string[];
  readonly notes?: Readonly<Record<string, string>>;
  /** Override the clock (tests). */
  readonly now?: Date;
}

/** Builds the {@link RunManifest} of a run. */
export function buildManifest(options: BuildManifestOptions): RunManifest {
  return {
    packages: packageVersions(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    configHash: hashConfig(options.config),
    dataHash: isBarSeries(options.bars) ? hashBars(options.bars) : hashUniverse(options.bars),
    seed: options.seed,
    createdAt: (options.now ?? new Date()).toISOString(),
    argv: [...options.argv],
    notes: { ...(options.notes ?? {}) },
  };
}
