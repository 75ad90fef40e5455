import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { AlgoTradingError, describeValue, silentLogger, type Logger } from '@algo-trading/core';
import { loadTfRuntime, type TfCoreModule } from './tfjs-runtime';

/**
 * TensorFlow.js backends this package can select, fastest first:
 * - `tensorflow`: native libtensorflow through the optional peer @tensorflow/tfjs-node;
 * - `wasm`: @tensorflow/tfjs-backend-wasm (SIMD, single-threaded in Node), the default here;
 * - `cpu`: plain JavaScript (@tensorflow/tfjs-backend-cpu), the last resort.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Every {@link BackendName}, in the order {@link selectBackend} tries them. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

/**
 * Loads a module by its package name (`@tensorflow/tfjs-node`, ...). Injected in tests; the default
 * is {@link defaultModuleLoader}. Rejects (or throws) when the module is not available.
 */
export type ModuleLoader = (specifier: string) => Promise<unknown> | unknown;

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Backend to try first; the others follow in the default order. Default: `tensorflow`, `wasm`, `cpu`. */
  readonly preferred?: BackendName | undefined;
  /** How modules are loaded; default {@link defaultModuleLoader}. */
  readonly loader?: ModuleLoader | undefined;
  /** Where the choice is logged (once per change of backend). Default silent. */
  readonly logger?: Logger | undefined;
}

/** One backend {@link selectBackend} tried. */
export interface BackendAttempt {
  readonly backend: BackendName;
  readonly ok: boolean;
  /** Why it was chosen or skipped. */
  readonly reason: string;
}

/** The outcome of {@link selectBackend}. */
export interface BackendSelection {
  /** The active backend. */
  readonly backend: BackendName;
  /** Why this backend, including why faster ones were skipped. */
  readonly reason: string;
  /** Every backend tried, in order. */
  readonly attempts: readonly BackendAttempt[];
}

const PACKAGES: Readonly<Record<BackendName, string>> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

function localRequire(): NodeJS.Require {
  return createRequire(import.meta.url);
}

/**
 * The default {@link ModuleLoader}: a dynamic `import()`. For @tensorflow/tfjs-node it first checks
 * that the package resolved really is tfjs-node: package managers can alias the name to the pure-JS
 * @tensorflow/tfjs (danfojs setups do), which has no native backend and must not be loaded as one.
 */
export async function defaultModuleLoader(specifier: string): Promise<unknown> {
  if (specifier === PACKAGES.tensorflow) {
    const require = localRequire();
    let manifestPath: string;
    try {
      manifestPath = require.resolve(`${specifier}/package.json`);
    } catch (cause) {
      throw new AlgoTradingError('NOT_FOUND', `${specifier} is not installed`, { cause });
    }
    const manifest = require(manifestPath) as { name?: unknown };
    if (manifest.name !== specifier) {
      throw new AlgoTradingError(
        'NOT_FOUND',
        `${specifier} resolves to ${describeValue(manifest.name)} (a package-manager alias), not the native binding`,
        { details: { field: 'module', value: manifest.name } },
      );
    }
  }
  return import(specifier);
}

/** Folder holding tfjs-backend-wasm's .wasm binaries (its `dist`), or undefined when unresolvable. */
function wasmBinaryFolder(): string | undefined {
  try {
    const manifest = localRequire().resolve(`${PACKAGES.wasm}/package.json`);
    return join(dirname(manifest), 'dist') + sep;
  } catch {
    return undefined;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface WasmModule {
  setWasmPaths?: (prefix: string) => void;
}

function pick(mod: unknown, key: string): Record<string, unknown> {
  const ns = (mod ?? {}) as Record<string, unknown>;
  if (typeof ns[key] === 'undefined' && typeof ns['default'] === 'object' && ns['default'] !== null) {
    return ns['default'] as Record<string, unknown>;
  }
  return ns;
}

let wasmPathsSet = false;

async function activate(tf: TfCoreModule, backend: BackendName): Promise<string | undefined> {
  try {
    const ok = await tf.setBackend(backend);
    return ok ? undefined : `tf.setBackend('${backend}') returned false`;
  } catch (error) {
    return `initialisation failed: ${message(error)}`;
  }
}

async function tryBackend(tf: TfCoreModule, backend: BackendName, loader: ModuleLoader): Promise<BackendAttempt> {
  const pkg = PACKAGES[backend];
  if (tf.findBackendFactory(backend) === null || tf.findBackendFactory(backend) === undefined) {
    let mod: unknown;
    try {
      mod = await loader(pkg);
    } catch (error) {
      return { backend, ok: false, reason: `${pkg} unavailable: ${message(error)}` };
    }
    if (backend === 'wasm') {
      const wasm = pick(mod, 'setWasmPaths') as WasmModule;
      const folder = wasmBinaryFolder();
      // setWasmPaths must precede the backend's initialisation, and may be called only once.
      if (!wasmPathsSet && folder !== undefined && typeof wasm.setWasmPaths === 'function' && tf.engine().registry['wasm'] === undefined) {
        wasm.setWasmPaths(folder);
        wasmPathsSet = true;
      }
    }
    if (!tf.findBackendFactory(backend)) {
      return { backend, ok: false, reason: `${pkg} loaded but registered no '${backend}' backend with this copy of tfjs-core` };
    }
  }
  const failure = await activate(tf, backend);
  if (failure !== undefined) return { backend, ok: false, reason: `${pkg}: ${failure}` };
  let detail = '';
  if (backend === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    detail = simd ? ' (SIMD, single thread)' : ' (no SIMD)';
  }
  if (backend === 'cpu') {
    // tfjs-backend-cpu prints a "use tfjs-node" banner on its first write; libraries never print.
    const instance = tf.engine().registry['cpu'] as unknown as { firstUse?: boolean } | undefined;
    if (instance !== undefined && 'firstUse' in instance) instance.firstUse = false;
  }
  return { backend, ok: true, reason: `${pkg} initialised${detail}` };
}

let queue: Promise<unknown> = Promise.resolve();
let lastLogged: string | undefined;

/**
 * Logs the choice once per change, at INFO with the chosen backend's own reason only: why the
 * others were skipped (tfjs-node not installed, or aliased to @tensorflow/tfjs) is expected on most
 * machines and goes to DEBUG with each attempt.
 */
function logOnce(logger: Logger, selection: BackendSelection): void {
  if (lastLogged === selection.backend) return;
  lastLogged = selection.backend;
  const chosen = selection.attempts[selection.attempts.length - 1]!;
  logger.info({ backend: selection.backend, reason: chosen.reason }, `TensorFlow.js backend: ${selection.backend}`);
}

/**
 * Chooses and activates the TensorFlow.js backend: @tensorflow/tfjs-node (`tensorflow`) when it
 * is installed, else `wasm` (the default in this repository), else `cpu`. The choice is
 * process-wide (tfjs keeps one engine) and logged once per change. Calls are serialised.
 * Nothing happens at import time: models call this lazily on first use when no backend is active.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` for an unknown `preferred`; `NOT_FOUND` when no
 *   backend can be initialised.
 * @example
 * const { backend, reason } = await selectBackend();            // 'wasm', '... (SIMD, single thread)'
 * await selectBackend({ preferred: 'cpu' });                     // force the JavaScript backend
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const run = queue.then(() => select(options));
  queue = run.catch(() => undefined);
  return run;
}

async function select(options: SelectBackendOptions): Promise<BackendSelection> {
  const { preferred, loader = defaultModuleLoader, logger = silentLogger } = options;
  if (preferred !== undefined && !(BACKEND_NAMES as readonly string[]).includes(preferred)) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `preferred must be one of ${BACKEND_NAMES.join(', ')}, got ${describeValue(preferred)}`,
      { details: { field: 'preferred', value: preferred } },
    );
  }
  if (typeof loader !== 'function') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `loader must be a function, got ${describeValue(loader)}`, {
      details: { field: 'loader', value: loader },
    });
  }
  const { tf } = await loadTfRuntime();
  const order: BackendName[] = preferred === undefined ? [...BACKEND_NAMES] : [preferred, ...BACKEND_NAMES.filter((b) => b !== preferred)];
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const attempt = await tryBackend(tf, backend, loader);
    attempts.push(attempt);
    if (attempt.ok) {
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.backend} skipped (${a.reason})`);
      const reason = [attempt.reason, ...skipped].join('; ');
      const selection: BackendSelection = { backend, reason, attempts };
      logOnce(logger, selection);
      return selection;
    }
    logger.debug({ backend, reason: attempt.reason }, `TensorFlow.js backend ${backend} unavailable`);
  }
  throw new AlgoTradingError(
    'NOT_FOUND',
    `no TensorFlow.js backend could be initialised: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
    { details: { attempts } },
  );
}

/**
 * The active backend, selecting one with {@link selectBackend} when none is active yet. A backend
 * the caller activated themselves (`tf.setBackend`) is respected.
 */
export async function ensureBackend(logger: Logger = silentLogger): Promise<string> {
  const { tf } = await loadTfRuntime();
  const active = tf.getBackend() as string | null | undefined;
  if (typeof active === 'string' && active !== '') return active;
  return (await selectBackend({ logger })).backend;
}
