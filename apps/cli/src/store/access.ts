import { existsSync } from 'node:fs';
import { AlgoTradingError, type Logger } from '@algo-trading/core';
import type * as StorePackage from '@algo-trading/store';
import type { Store } from '@algo-trading/store';
import type { CommandContext } from '../context';

/**
 * The CLI's one way into `@algo-trading/store`. The store (and DuckDB's native library under it)
 * is optional: only the commands and options that use it import it, through
 * {@link loadStoreModule}, when they run. `--help`, and every run without a store file, never
 * load it.
 */

/** The store package's exports. */
export type StoreModule = typeof StorePackage;

/** Where the store is and how long to wait for it. */
export interface StoreAccess {
  /** The database file, absolute. */
  readonly path: string;
  /** How long to wait for a store another process is writing (`store.lock_timeout_ms`). */
  readonly lockTimeoutMs: number;
}

let loading: Promise<StoreModule> | undefined;

/**
 * Imports `@algo-trading/store` once. A missing or broken installation is an `UNSUPPORTED` error
 * saying what to install; DuckDB's own native library is loaded (and reported missing, by the
 * store) only when a store is opened.
 */
export function loadStoreModule(): Promise<StoreModule> {
  loading ??= import('@algo-trading/store').catch((cause: unknown) => {
    loading = undefined;
    const code = (cause as NodeJS.ErrnoException)?.code;
    const reason = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? 'is not installed' : `failed to load (${(cause as Error)?.message ?? String(cause)})`;
    throw new AlgoTradingError(
      'UNSUPPORTED',
      `the store (algo-trading data, runs, --data store:..., run recording) needs the optional package @algo-trading/store, which ${reason}: install it next to @algo-trading/cli (npm install @algo-trading/store)`,
      { cause, details: { field: '@algo-trading/store' } },
    );
  });
  return loading;
}

/** The store a command uses: `--db`, else `store.path` of the configuration, resolved from the working folder. */
export function storeAccess(ctx: Pick<CommandContext, 'config' | 'resolvePath'>, db: string | undefined): StoreAccess {
  return { path: ctx.resolvePath(db ?? ctx.config.store.path), lockTimeoutMs: ctx.config.store.lock_timeout_ms };
}

/** The error for a store file that does not exist, naming it and how to create one. */
export function missingStoreError(path: string, what: string): AlgoTradingError {
  return new AlgoTradingError(
    'NOT_FOUND',
    `${what}: there is no store database at ${path} (--db or store.path in config.yaml names another file; \`algo-trading data import <files>\` or \`algo-trading runs init\` creates one)`,
    { details: { field: 'db', value: path } },
  );
}

/** Options of {@link openCliStore}. */
export interface OpenCliStoreOptions {
  readonly logger: Logger;
  /** Open for reading only (several readers may share the file). Default false. */
  readonly readOnly?: boolean | undefined;
  /**
   * Create the file when it does not exist. Default false: a missing file is a `NOT_FOUND` error
   * naming it, prefixed with `what`.
   */
  readonly create?: boolean | undefined;
  /** What needs the store, for the error message: `--data store:SPY@1d`, `runs ls`. */
  readonly what: string;
}

/**
 * Opens the store at `access.path`, waiting up to `access.lockTimeoutMs` while another process
 * writes it. Never creates a file unless `create` is set.
 *
 * @throws AlgoTradingError `NOT_FOUND` for a missing file; the store's errors for a locked,
 *   corrupt or newer file (`IO_ERROR`, `INVALID_DATA`, `UNSUPPORTED`) and for a missing DuckDB
 *   binary (`UNSUPPORTED`).
 */
export async function openCliStore(access: StoreAccess, options: OpenCliStoreOptions): Promise<Store> {
  if (options.create !== true && !existsSync(access.path)) throw missingStoreError(access.path, options.what);
  const { openStore } = await loadStoreModule();
  return openStore({ path: access.path, readOnly: options.readOnly === true, lockTimeoutMs: access.lockTimeoutMs, logger: options.logger });
}

/** Opens the store, runs `work` with it and closes it (releasing the file) whatever happens. */
export async function withStore<T>(access: StoreAccess, options: OpenCliStoreOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openCliStore(access, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
