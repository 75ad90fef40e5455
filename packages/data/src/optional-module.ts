import { createRequire } from 'node:module';
import { AlgoTradingError } from '@algo-trading/core';

/**
 * Lazy access to optional peer dependencies (danfojs-node): nothing is loaded at
 * import time; a missing package is an `UNSUPPORTED` error that says what to install.
 * `import.meta.url` is shimmed by tsup in the CJS build (`shims: true`).
 */

function localRequire(): NodeJS.Require {
  return createRequire(import.meta.url);
}

/**
 * Loads an optional CommonJS peer dependency synchronously. Throws `UNSUPPORTED` naming the
 * package, the feature that needs it and how to install it, when it is missing or fails to load.
 */
export function requireOptional<T>(name: string, feature: string, installHint = `npm install ${name}`): T {
  try {
    return localRequire()(name) as T;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const reason = code === 'MODULE_NOT_FOUND' ? 'is not installed' : `failed to load (${(cause as Error)?.message ?? String(cause)})`;
    throw new AlgoTradingError('UNSUPPORTED', `${feature} needs the optional peer dependency ${name}, which ${reason}: ${installHint}`, {
      cause,
      details: { field: name },
    });
  }
}
