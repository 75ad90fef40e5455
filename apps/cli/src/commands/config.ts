import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load';
import { CONFIG_TEMPLATE } from '../config/template';
import { jsonReplacer, type CliIo } from '../context';
import { asUsage, UsageError } from '../exit-codes';
import { writeFileAtomic } from '../output/atomic-write';

/** Options of `algo-trading config init`. */
export interface ConfigInitOptions {
  /** Where to write; default `config.yaml` in the working folder. */
  readonly path?: string | undefined;
  /** Overwrite an existing file. */
  readonly force?: boolean | undefined;
  readonly json?: boolean | undefined;
}

/**
 * `config init`: writes the commented default `config.yaml` (atomically). Refuses to replace an
 * existing file unless `force`.
 *
 * @returns the absolute path written.
 * @throws UsageError when the file exists and `force` is not set.
 */
export function runConfigInit(io: CliIo, options: ConfigInitOptions = {}): string {
  const path = resolve(io.cwd, options.path ?? 'config.yaml');
  if (existsSync(path) && options.force !== true) {
    throw new UsageError(`${path} already exists; pass --force to overwrite it`);
  }
  writeFileAtomic(path, CONFIG_TEMPLATE);
  if (options.json === true) io.stdout.write(`${JSON.stringify({ ok: true, path })}\n`);
  else io.stdout.write(`Wrote ${path}\nEdit it, then check it with: algo-trading config check ${options.path ?? 'config.yaml'}\n`);
  return path;
}

/** Options of `algo-trading config check`. */
export interface ConfigCheckOptions {
  readonly path?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * `config check`: validates a `config.yaml` and prints the resolved configuration (with
 * `--json`) or a one-line confirmation.
 *
 * @throws UsageError naming every invalid path and value, or the missing file.
 */
export async function runConfigCheck(io: CliIo, options: ConfigCheckOptions = {}): Promise<void> {
  const path = resolve(io.cwd, options.path ?? 'config.yaml');
  const config = await asUsage(() => loadConfig(path));
  if (options.json === true) io.stdout.write(`${JSON.stringify({ ok: true, path, config }, jsonReplacer, 2)}\n`);
  else io.stdout.write(`${path} is valid.\n`);
}
