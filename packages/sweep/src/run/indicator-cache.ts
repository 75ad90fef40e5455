import type { IndicatorCache } from '@algo-trading/strategies';

/** Hits, misses and evictions of an {@link LruIndicatorCache}. */
export interface IndicatorCacheStats {
  /** Calls answered from the cache. */
  hits: number;
  /** Calls that computed a value. */
  misses: number;
  /** Values dropped to stay within the byte budget. */
  evictions: number;
}

/** Default byte budget of one worker's indicator cache: 256 MiB. */
export const DEFAULT_INDICATOR_CACHE_BYTES = 256 * 1024 * 1024;

function sizeOf(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, v: unknown) => sum + sizeOf(v), 16);
  if (typeof value === 'object' && value !== null) {
    let sum = 16;
    for (const v of Object.values(value)) sum += sizeOf(v);
    return sum;
  }
  return 16;
}

/**
 * The indicator cache of a worker: memoized values keyed by the view of the data they were
 * computed on (a walk-forward segment sees fewer bars) and the strategy's key, with a byte
 * budget (typed arrays count their bytes) and least-recently-used eviction.
 */
export class LruIndicatorCache {
  readonly stats: IndicatorCacheStats = { hits: 0, misses: 0, evictions: 0 };
  readonly #entries = new Map<string, { value: unknown; bytes: number }>();
  readonly #budget: number;
  #bytes = 0;

  constructor(budgetBytes: number = DEFAULT_INDICATOR_CACHE_BYTES) {
    this.#budget = budgetBytes;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The `IndicatorCache` a strategy sees for one view of the data (`view` names it, e.g. the end bar). */
  view(view: string): IndicatorCache {
    return { memo: <T>(key: string, compute: () => T): T => this.#memo(`${view}\u0000${key}`, compute) };
  }

  #memo<T>(key: string, compute: () => T): T {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.stats.hits++;
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value as T;
    }
    this.stats.misses++;
    const value = compute();
    const bytes = sizeOf(value);
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= this.#budget || oldKey === key) break;
      this.#entries.delete(oldKey);
      this.#bytes -= old.bytes;
      this.stats.evictions++;
    }
    return value;
  }
}
