import { readFile } from 'node:fs/promises';
import { AlgoTradingError, describeIssues, formatZodIssues, type OptionIssue } from '@algo-trading/core';
import { parseAllDocuments } from 'yaml';
import { checkConfigWithLibraries } from './mapping';
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
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' });
  const documents = Array.isArray(docs) ? docs : [];
  const doc = documents[0];
  if (doc === undefined) return validateConfig({}, source); // empty text
  // A later document with content would be silently dropped: refuse it (an empty one after a
  // trailing `---` carries nothing).
  const extra = documents.slice(1).find((d) => d.errors.length > 0 || (d.toJS() ?? null) !== null);
  if (extra !== undefined) {
    const line = lineOf(text, extra.range[0]);
    throw new AlgoTradingError(
      'PARSE_ERROR',
      `${source}:${line}:1: holds ${documents.length} YAML documents (separated by ---); a configuration is one document, the others would be ignored`,
      { details: { field: source, index: line } },
    );
  }
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

/** The 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Validates an already parsed configuration object (defaults applied): its shape here, then every
 * value by the library that takes it ({@link checkConfigWithLibraries}), so what passes here passes
 * a run. Unknown keys get a "did you mean" suggestion when a known key is close.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` naming each offending path and value.
 */
export function validateConfig(raw: unknown, source = 'config.yaml'): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (result.success) {
    checkConfigWithLibraries(result.data, source);
    return result.data;
  }
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
