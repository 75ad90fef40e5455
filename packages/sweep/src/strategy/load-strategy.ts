import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AlgoTradingError, sha256Hex } from '@algo-trading/core';
import { isParameterizedStrategy, type ParameterizedStrategy } from '@algo-trading/strategies';

/**
 * Strategy references: `module#export`, imported in every worker. A path (`./x.js`, `/abs/x.mjs`,
 * `file:` URL) is resolved from the spec's folder and pinned by the sha256 of the file; a package
 * name (`@algo-trading/strategies`, `my-strategies`) is resolved from the sweep package, then from
 * the spec's folder, and pinned by the package's version. Workers check the pin before they run.
 */

/** A strategy reference resolved by the producer. */
export interface StrategyRef {
  /** As written in the spec (`@algo-trading/strategies#smaCross`). */
  readonly specifier: string;
  /** What workers import: a `file:` URL, or a package name. */
  readonly importTarget: string;
  readonly exportName: string;
  /** sha256 of the module file (paths), or null (packages). */
  readonly fileHash: string | null;
  /** `name@version` of the package (package names), or null. */
  readonly packageVersion: string | null;
}

const requireHere = createRequire(import.meta.url);

function isPathSpecifier(module: string): boolean {
  return module.startsWith('.') || module.startsWith('/') || module.startsWith('file:') || isAbsolute(module);
}

function packageNameOf(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function strategyError(message: string, specifier: string, cause?: unknown): AlgoTradingError {
  return new AlgoTradingError('INVALID_CONFIG', `strategy: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { field: 'strategy', value: specifier },
  });
}

/** Splits `module#export` (export `default` when absent). */
export function splitStrategySpecifier(strategy: string | { readonly module: string; readonly export: string }): { module: string; exportName: string } {
  if (typeof strategy !== 'string') return { module: strategy.module, exportName: strategy.export };
  const hash = strategy.lastIndexOf('#');
  return hash > 0 ? { module: strategy.slice(0, hash), exportName: strategy.slice(hash + 1) || 'default' } : { module: strategy, exportName: 'default' };
}

function readVersion(resolveFrom: NodeJS.Require, name: string): string | null {
  try {
    return `${name}@${(resolveFrom(`${name}/package.json`) as { version: string }).version}`;
  } catch {
    return null;
  }
}

/**
 * Resolves a spec's strategy to what workers import, without importing it yet.
 * @param baseDir the spec's folder (relative paths and packages installed beside the spec).
 */
export function resolveStrategyRef(strategy: string | { readonly module: string; readonly export: string }, baseDir: string): StrategyRef {
  const { module, exportName } = splitStrategySpecifier(strategy);
  const specifier = typeof strategy === 'string' ? strategy : `${strategy.module}#${strategy.export}`;
  if (isPathSpecifier(module)) {
    const path = module.startsWith('file:') ? fileURLToPath(module) : isAbsolute(module) ? module : resolve(baseDir, module);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (cause) {
      throw strategyError(`cannot import ${module}: ${path} cannot be read (${(cause as Error).message})`, specifier, cause);
    }
    return { specifier, importTarget: pathToFileURL(path).href, exportName, fileHash: sha256Hex(bytes), packageVersion: null };
  }
  const name = packageNameOf(module);
  // A package the sweep package itself can import (its own dependencies, hoisted packages) ...
  try {
    requireHere.resolve(module);
    return { specifier, importTarget: module, exportName, fileHash: null, packageVersion: readVersion(requireHere, name) };
  } catch {
    // ... or one installed beside the spec.
  }
  const requireThere = createRequire(join(baseDir, 'package.json'));
  let path: string;
  try {
    path = requireThere.resolve(module);
  } catch (cause) {
    throw strategyError(`cannot import ${module}: no such package from ${baseDir} (${(cause as Error).message.split('\n')[0]})`, specifier, cause);
  }
  return { specifier, importTarget: pathToFileURL(path).href, exportName, fileHash: null, packageVersion: readVersion(requireThere, name) };
}

/**
 * Checks a reference against this machine's module (a worker on another machine may have another
 * file or version).
 * @throws AlgoTradingError `INVALID_STATE` naming the module when the pin differs.
 */
export function verifyStrategyRef(ref: StrategyRef): void {
  if (ref.fileHash !== null) {
    const path = fileURLToPath(ref.importTarget);
    let found: string;
    try {
      found = sha256Hex(readFileSync(path));
    } catch (cause) {
      throw strategyError(`cannot import ${ref.specifier}: ${path} cannot be read on this machine (${(cause as Error).message})`, ref.specifier, cause);
    }
    if (found !== ref.fileHash) {
      throw new AlgoTradingError('INVALID_STATE', `strategy ${ref.specifier}: ${path} differs from the file the sweep was planned with (sha256 ${found}, expected ${ref.fileHash})`, {
        details: { field: 'strategy', value: ref.specifier },
      });
    }
  } else if (ref.packageVersion !== null) {
    const name = ref.packageVersion.slice(0, ref.packageVersion.lastIndexOf('@'));
    const found = ref.importTarget.startsWith('file:') ? ref.packageVersion : readVersion(requireHere, name);
    if (found !== ref.packageVersion) {
      throw new AlgoTradingError('INVALID_STATE', `strategy ${ref.specifier}: this machine has ${found ?? `no ${name}`}, the sweep was planned with ${ref.packageVersion}`, {
        details: { field: 'strategy', value: ref.specifier },
      });
    }
  }
}

const imported = new Map<string, Promise<ParameterizedStrategy>>();

/**
 * Imports the strategy of a reference (once per thread) and checks that the export is a
 * `ParameterizedStrategy`.
 * @throws AlgoTradingError `INVALID_CONFIG` naming the strategy when the module cannot be
 *   imported, has no such export, or the export is not a parameterized strategy.
 */
export function importStrategy(ref: StrategyRef): Promise<ParameterizedStrategy> {
  const key = `${ref.importTarget}#${ref.exportName}`;
  let pending = imported.get(key);
  if (pending === undefined) {
    pending = load(ref);
    imported.set(key, pending);
    pending.catch(() => imported.delete(key));
  }
  return pending;
}

async function load(ref: StrategyRef): Promise<ParameterizedStrategy> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(ref.importTarget)) as Record<string, unknown>;
  } catch (cause) {
    throw strategyError(`cannot import ${ref.specifier}: ${(cause as Error).message.split('\n')[0]}`, ref.specifier, cause);
  }
  const value = namespace[ref.exportName];
  if (value === undefined) {
    const names = Object.keys(namespace).filter((k) => k !== '__esModule');
    throw strategyError(`${ref.specifier}: the module has no export ${JSON.stringify(ref.exportName)} (exports: ${names.join(', ') || 'none'})`, ref.specifier);
  }
  if (!isParameterizedStrategy(value)) {
    throw strategyError(
      `${ref.specifier}: export ${JSON.stringify(ref.exportName)} is not a parameterized strategy (an object with name, parameters: a zod object schema, and generate({ bars, params, indicators }))`,
      ref.specifier,
    );
  }
  return value;
}
