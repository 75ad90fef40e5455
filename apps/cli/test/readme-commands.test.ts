// @long-running: runs the README's commands (started first, see tools/config/long-running-first.ts).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/program';
import { runInProcess, tempDir } from './helpers';

/**
 * Every command the READMEs show, taken from their `sh` code blocks: each `algo-trading` command
 * line must parse against the real program (commands, options, choices, values), each `pnpm`
 * script must exist, and the cheap ones run as written, in order, in a fresh folder (the ML
 * commands train models for minutes and are parsed only; other tests run them on small data).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const READMES = ['README.md', 'apps/cli/README.md'];
const ROOT_SCRIPTS = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
/** pnpm's own commands (not scripts of the root package.json). */
const PNPM_COMMANDS = new Set(['install', 'exec', 'add', 'pack', 'run', 'dlx']);

interface ReadmeCommand {
  readonly readme: string;
  readonly line: string;
  /** The words after `algo-trading`. */
  readonly args: string[];
}

/** The `sh` code blocks of a markdown file, line by line, without comments. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      if (line !== '' && !line.startsWith('#')) lines.push(line);
    }
  }
  return lines;
}

/** `algo-trading` invocations and `pnpm` script names in a shell line (`&&` chains, `|` pipes cut). */
function parseLine(line: string): { cli: string[][]; scripts: string[] } {
  const cli: string[][] = [];
  const scripts: string[] = [];
  for (const segment of line.split('&&').map((s) => s.split('|')[0]!.trim())) {
    const words = segment.split(/\s+/);
    let k = 0;
    if (words[k] === 'cd') continue;
    if (words[k] === 'npx' && words[k + 1] === '-y' && words[k + 2]?.startsWith('pnpm@')) k += 3;
    else if (words[k] === 'npx' && words[k + 1] === 'algo-trading') k += 1;
    else if (words[k] === 'pnpm') k += 1;
    else if (words[k] !== 'algo-trading') continue; // another tool (npm, mkdir, ...)
    if (words[0] !== 'algo-trading' && words[k] === '-s') k += 1;
    if (words[k - 1] === 'pnpm' || words[k - 1] === '-s' || words[k - 1]?.startsWith('pnpm@')) {
      const script = words[k]!;
      if (script.startsWith('-') || PNPM_COMMANDS.has(script)) continue;
      scripts.push(script);
      if (script === 'demo') cli.push(['demo', ...words.slice(k + 1)]);
      else if (script === 'algo-trading') cli.push(words.slice(k + 1));
      continue;
    }
    cli.push(words.slice(k + 1));
  }
  return { cli, scripts };
}

const commands: ReadmeCommand[] = [];
const scripts: { readme: string; script: string }[] = [];
for (const readme of READMES) {
  for (const line of shellLines(readFileSync(join(ROOT, readme), 'utf8'))) {
    const parsed = parseLine(line);
    for (const args of parsed.cli) commands.push({ readme, line, args });
    for (const script of parsed.scripts) scripts.push({ readme, script });
  }
}

function quietIo(cwd: string) {
  return { stdout: new PassThrough(), stderr: new PassThrough(), cwd };
}

/** Parses `args` against the real program with every command's action replaced by a no-op. */
async function parseOnly(args: readonly string[]): Promise<unknown> {
  const program = buildProgram(quietIo(tempDir()), args);
  const stub = (command: Command): void => {
    if (command.commands.length === 0) command.action(() => undefined);
    command.commands.forEach(stub);
  };
  program.commands.forEach(stub);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) return undefined;
    return error;
  }
}

/**
 * Commands that train models (minutes each), and `sweep` (it reads a spec file written beside it)
 * and `worker` (it runs until stopped): parsed, not run, here; test/sweep.test.ts runs the last two.
 */
function isExpensive(args: readonly string[]): boolean {
  const [command] = args;
  return (
    command === 'demo' ||
    command === 'train' ||
    command === 'optimize' ||
    command === 'walk-forward' ||
    command === 'sweep' ||
    command === 'worker' ||
    (command === 'backtest' && args.includes('ml'))
  );
}

describe('the commands of the READMEs', () => {
  it('finds the commands (the extraction itself works)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands.map((c) => c.args.join(' '))).toContain('backtest --data sample:sp500 --strategy sma-cross --out results/sma');
    expect(commands.some((c) => c.args[0] === 'demo')).toBe(true);
    expect(scripts.map((s) => s.script)).toEqual(expect.arrayContaining(['demo', 'verify', 'algo-trading']));
  });

  it('every pnpm script they name exists', () => {
    for (const { readme, script } of scripts) expect(ROOT_SCRIPTS, `${readme}: pnpm ${script}`).toContain(script);
  });

  it('every algo-trading command line parses against the program', async () => {
    for (const { readme, line, args } of commands) {
      const error = await parseOnly(args);
      expect(error, `${readme}: ${line}`).toBeUndefined();
    }
  });

  it(
    'the cheap ones run as written, in order, each README in a fresh folder',
    async () => {
      for (const readme of READMES) {
        const cwd = tempDir('algo-cli-readme-');
        for (const { line, args } of commands.filter((c) => c.readme === readme && !isExpensive(c.args))) {
          const run = await runInProcess(args, cwd);
          expect(run.code, `${readme}: ${line}\n${run.stderr}`).toBe(0);
          if (args.includes('--json')) expect(() => JSON.parse(run.stdout) as unknown, line).not.toThrow();
        }
      }
    },
    300_000,
  );
});
