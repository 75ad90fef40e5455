import { readFile } from 'node:fs/promises';
import { AlgoTradingError, describeIssues, formatZodIssues, type OptionIssue } from '@algo-trading/core';
import { parseDocument } from 'yaml';
import { appConfigSchema, type AppConfig } from './schema';
import { closestKey, knownKeysAt } from './suggest';

/**
 * Parses the text of a `config.yaml` and validates it. An empty file means every default.
 *
 * @param text YAML text.
 * @param source Name of the file, for messages.
 * @throws AlgoTradingError `PARSE_ERROR` (with the line and column) when the YAML is malformed;
 *   `INVALID_CONFIG` listing every problem as `path: expectation, got value` otherwise.
 */
export function parseConfigText(text: string, source = 'config.yaml'): AppConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const line = yamlError.linePos?.[0].line;
    const col = yamlError.linePos?.[0].col;
    const where = line === undefined ? source : `${source}:${line}:${col ?? 1}`;
    throw new AlgoTradingError('PARSE_ERROR', `${where}: invalid YAML: ${yamlError.message.split('\n')[0]}`, {
      cause: yamlError,
      details: { field: source, ...(line === undefined ? {} : { index: line }) },
    });
  }
  const raw: unknown = doc.toJS() ?? {};
  return validateConfig(raw, source);
}

/**
 * Validates an already parsed configuration object (defaults applied). Unknown keys get a
 * "did you mean" suggestion when a known key is close.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` naming each offending path and value.
 */
export function validateConfig(raw: unknown, source = 'config.yaml'): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues: OptionIssue[] = formatZodIssues(result.error, raw).map((issue) => {
    if (!issue.message.startsWith('unknown key')) return issue;
    const parts = issue.path.split('.');
    const key = parts.pop()!;
    const suggestion = closestKey(key, knownKeysAt(parts));
    return suggestion === undefined ? issue : { ...issue, message: `${issue.message}; did you mean "${suggestion}"?` };
  });
  const first = issues[0];
  throw new AlgoTradingError('INVALID_CONFIG', `Invalid configuration file ${source}:\n${describeIssues(issues)}`, {
    cause: result.error,
    details: { field: first?.path ?? '(root)', value: first?.received, issues },
  });
}

/**
 * Reads and validates a `config.yaml`.
 *
 * @throws AlgoTradingError `NOT_FOUND` naming the path when the file does not exist, `IO_ERROR`
 *   when it cannot be read, and the errors of {@link parseConfigText}.
 */
export async function loadConfig(path: string): Promise<AppConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AlgoTradingError('NOT_FOUND', `configuration file not found: ${path}`, { cause, details: { field: 'config', value: path } });
    }
    throw new AlgoTradingError('IO_ERROR', `cannot read configuration file ${path}: ${(cause as Error).message}`, {
      cause,
      details: { field: 'config', value: path },
    });
  }
  return parseConfigText(text, path);
}
