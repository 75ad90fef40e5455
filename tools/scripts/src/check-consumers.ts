/**
 * Compiles and runs small consumer projects against the packed packages, as a user who installs
 * them from the registry would: `pnpm pack` of every built library, the tarballs unpacked into a
 * throw-away `node_modules` (only the files a user receives), each package's third-party
 * dependencies linked from this workspace's install (no network), then for each consumer setup
 * (`nodenext` ESM, `node16` CommonJS, classic CommonJS with `node10` resolution) the TypeScript
 * compiler with `strict` and `skipLibCheck: false`, and `node` on the emitted script, which asserts
 * a few computed values. Every setup checks the consumer and every declaration file of our
 * packages; the third parties' declarations (the dependencies' and TypeScript's own libraries),
 * which do not change with our code, are checked in the first setup only: checking them was
 * most of each setup's time (36 of 46 s of one compile, measured on a loaded two-core machine).
 *
 * Run after `pnpm build`: `tsx tools/scripts/src/check-consumers.ts` (also run by its test).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { packProjects } from './pack';
import { listProjects, type WorkspaceProject } from './workspace';

const run = promisify(execFile);

/** One consumer setup: its module settings and whether its package is ESM. */
export interface ConsumerSetup {
  readonly name: string;
  readonly esm: boolean;
  readonly module: string;
  readonly moduleResolution: string;
  /** Also check the third parties' declaration files (done once, in the first setup). */
  readonly checkThirdParty: boolean;
}

/** The consumer setups checked. */
export const CONSUMER_SETUPS: readonly ConsumerSetup[] = [
  // ESM with the exports map's `import` condition and index.d.ts.
  { name: 'nodenext-esm', esm: true, module: 'nodenext', moduleResolution: 'nodenext', checkThirdParty: true },
  // CommonJS with the exports map's `require` condition and index.d.cts.
  { name: 'node16-cjs', esm: false, module: 'node16', moduleResolution: 'node16', checkThirdParty: false },
  // Classic CommonJS: no exports map, `main` and `types`.
  { name: 'commonjs-node10', esm: false, module: 'commonjs', moduleResolution: 'node10', checkThirdParty: false },
];

/** The outcome of one consumer setup. */
export interface ConsumerResult {
  readonly setup: string;
  readonly ok: boolean;
  /** Compiler diagnostics or the script's failure, empty when ok. */
  readonly output: string;
}

/** Options of {@link checkConsumers}. */
export interface CheckConsumersOptions {
  /** Workspace root. */
  readonly root: string;
  /** Keep the temporary folder (for inspection); default false. */
  readonly keep?: boolean;
  /** Setups to check; default all of {@link CONSUMER_SETUPS}. */
  readonly setups?: readonly ConsumerSetup[];
}

interface PackedManifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}

/** Libraries a user installs: public packages under packages/ with an exports map. */
function publishedLibraries(root: string): WorkspaceProject[] {
  return listProjects(root).filter((p) => !p.private && p.dir.startsWith('packages/'));
}

/**
 * Packs the libraries (one recursive `pnpm pack` into `destination`) and unpacks each tarball
 * into `nodeModules/<name>`; returns the packed manifests in the order of `libraries`.
 */
async function packAndUnpack(root: string, libraries: readonly WorkspaceProject[], destination: string, nodeModules: string): Promise<PackedManifest[]> {
  const tarballs = await packProjects(root, libraries, destination);
  const manifests: PackedManifest[] = [];
  for (const library of libraries) {
    const tarball = tarballs.get(library.name)!;
    const unpacked = tarball.slice(0, -'.tgz'.length);
    mkdirSync(unpacked);
    await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as PackedManifest;
    const target = join(nodeModules, manifest.name);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(unpacked, target);
    manifests.push(manifest);
  }
  return manifests;
}

/**
 * Links every third-party dependency of the packed packages (and `@types/node` for the consumers)
 * from this workspace's install: the consumers resolve them as a user's install would.
 */
function linkDependencies(root: string, libraries: readonly WorkspaceProject[], manifests: readonly PackedManifest[], nodeModules: string): void {
  const linked = new Set<string>();
  const link = (name: string, from: string) => {
    if (linked.has(name)) return;
    const source = join(from, 'node_modules', name);
    if (!existsSync(source)) throw new Error(`cannot find ${name} for the consumer check (looked in ${from}/node_modules)`);
    const target = join(nodeModules, name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(source), target, 'dir');
    linked.add(name);
  };
  manifests.forEach((manifest, k) => {
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (!dependency.startsWith('@algo-trading/')) link(dependency, join(root, libraries[k]!.dir));
    }
  });
  link('@types/node', root);
}

/** The consumer program: one namespace import per package plus values checked at run time. */
function consumerSource(names: readonly string[]): string {
  const has = (name: string) => names.includes(name);
  const lines: string[] = [];
  names.forEach((name, k) => lines.push(`import * as package${k} from '${name}';`));
  lines.push(`import { Decimal, toDecimal, isAlgoTradingError } from '@algo-trading/core';`);
  if (has('@algo-trading/metrics')) lines.push(`import { totalReturn } from '@algo-trading/metrics';`);
  if (has('@algo-trading/sizing')) lines.push(`import { FixedFractionalSizing } from '@algo-trading/sizing';`);
  if (has('@algo-trading/risk')) lines.push(`import { RiskManager } from '@algo-trading/risk';`);
  if (has('@algo-trading/backtesting')) lines.push(`import { BacktestEngine } from '@algo-trading/backtesting';`);
  if (has('@algo-trading/strategies')) lines.push(`import { sma } from '@algo-trading/strategies';`);
  lines.push(
    '',
    'function check(what: string, actual: unknown, expected: unknown): void {',
    '  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);',
    '}',
    '',
    'async function main(): Promise<void> {',
    `  const packages: Record<string, unknown>[] = [${names.map((_, k) => `package${k}`).join(', ')}];`,
    `  packages.forEach((p, k) => check(\`exports of package \${k}\`, Object.keys(p).length > 0, true));`,
    '  // The configured Decimal is a constructor and its instances a type (TS2351 / TS2344 before).',
    "  const sum: Decimal = new Decimal('0.1').plus(toDecimal(0.2));",
    "  check('0.1 + 0.2 in Decimal', sum.toString(), '0.3');",
    "  check('Decimal precision', Decimal.precision, 34);",
    "  check('isAlgoTradingError', isAlgoTradingError(new Error('x')), false);",
  );
  if (has('@algo-trading/metrics')) lines.push("  check('totalReturn', totalReturn([0.5, -0.5]), -0.25);");
  if (has('@algo-trading/sizing')) {
    // 1% of 10,000 over a 3-point stop is 33.3 units; the 25% cap (2,500 / 100) gives 25.
    lines.push("  check('FixedFractionalSizing', new FixedFractionalSizing().calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97 }), 25);");
  }
  if (has('@algo-trading/risk')) lines.push("  check('RiskManager stop', new RiskManager().protectiveLevels('long', 100).stopLoss, 97);");
  if (has('@algo-trading/strategies')) lines.push("  check('sma', sma([1, 2, 3], 2)[2], 2.5);");
  if (has('@algo-trading/backtesting')) {
    lines.push(
      '  // Buy 10 at 100 (all in, no costs), sell at 110: cash 1,100 exactly.',
      '  const engine = new BacktestEngine({ initialCapital: 1_000, commissionPct: 0, slippageBps: 0 });',
      '  await engine.runBacktest({ data: { time: [1, 2, 3], open: [100, 100, 110], high: [100, 100, 110], low: [100, 100, 110], close: [100, 100, 110] }, signals: [1, -1, 0] });',
      '  const cash: Decimal = engine.getCash();',
      "  check('backtest cash', cash.toString(), '1100');",
    );
  }
  lines.push(
    '}',
    '',
    'main().then(',
    "  () => console.log('consumer ok'),",
    '  (error: unknown) => {',
    '    console.error(error);',
    '    process.exitCode = 1;',
    '  },',
    ');',
    '',
  );
  return lines.join('\n');
}

// TensorFlow.js 4.22's own declaration files do not pass a strict check (TS2411 index signatures,
// an undeclared `Long`, LayersModel vs InferenceModel): every tfjs user sees these without
// skipLibCheck, they are upstream's, and they are the only diagnostics ignored. tsc still emits.
const UPSTREAM_DIAGNOSTICS = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?@tensorflow\/tfjs-(?:core|layers)\//;

/** The compiler's diagnostics, one per entry (with continuation lines), minus tfjs's own. */
function ourDiagnostics(output: string): string[] {
  const diagnostics: string[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && diagnostics.length > 0) diagnostics[diagnostics.length - 1] += `\n${line}`;
    else diagnostics.push(line);
  }
  return diagnostics.filter((d) => !UPSTREAM_DIAGNOSTICS.test(d.split('\n')[0]!));
}

/**
 * Compiles the consumer project in `dir` as `tsc -p tsconfig.json` would (it emits even with
 * errors) and returns its diagnostics as tsc prints them. Semantic diagnostics come from the
 * consumer, our packages (unpacked below `base`) and, with `checkThirdParty`, every other
 * declaration file of the program too.
 */
function compile(dir: string, base: string, checkThirdParty: boolean): string {
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' };
  const configErrors: ts.Diagnostic[] = [];
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
  });
  if (config === undefined) return ts.formatDiagnostics(configErrors, host);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  // The compiler names files by their real path (a temporary folder may sit behind a symlink), with '/'.
  const ourPackages = `${realpathSync(base).split(sep).join('/')}/node_modules/@algo-trading/`;
  const ours = (file: ts.SourceFile) => !file.fileName.includes('/node_modules/') || file.fileName.startsWith(ourPackages);
  const checked = program.getSourceFiles().filter((file) => checkThirdParty || ours(file));
  const diagnostics = [
    ...config.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...checked.flatMap((file) => program.getSemanticDiagnostics(file)),
  ];
  // Only the consumer is emitted: an emit of the whole program would type-check every file first.
  diagnostics.push(...program.emit(program.getSourceFile(join(dir, 'index.ts'))).diagnostics);
  return ts.formatDiagnostics(diagnostics, host);
}

async function checkSetup(root: string, base: string, setup: ConsumerSetup, source: string): Promise<ConsumerResult> {
  const dir = join(base, setup.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${setup.name}`, private: true, type: setup.esm ? 'module' : 'commonjs' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: setup.module,
        moduleResolution: setup.moduleResolution,
        strict: true,
        skipLibCheck: false,
        esModuleInterop: true,
        types: ['node'],
        outDir: 'out',
        rootDir: '.',
      },
      files: ['index.ts'],
    }),
  );
  writeFileSync(join(dir, 'index.ts'), source);
  const diagnostics = ourDiagnostics(compile(dir, base, setup.checkThirdParty));
  if (diagnostics.length > 0) return { setup: setup.name, ok: false, output: `tsc:\n${diagnostics.join('\n')}` };
  try {
    const { stdout } = await run(process.execPath, [join(dir, 'out/index.js')], { cwd: dir, maxBuffer: 16 << 20 });
    if (!stdout.includes('consumer ok')) return { setup: setup.name, ok: false, output: `node printed:\n${stdout}` };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { setup: setup.name, ok: false, output: `node:\n${e.stdout ?? ''}${e.stderr ?? e.message}` };
  }
  return { setup: setup.name, ok: true, output: '' };
}

/** Packs, links and checks every consumer setup; resolves to one result per setup. */
export async function checkConsumers(options: CheckConsumersOptions): Promise<ConsumerResult[]> {
  const root = resolve(options.root);
  const base = mkdtempSync(join(tmpdir(), 'algo-trading-consumers-'));
  try {
    const libraries = publishedLibraries(root);
    const packs = join(base, 'packs');
    const nodeModules = join(base, 'node_modules');
    mkdirSync(packs);
    const manifests = await packAndUnpack(root, libraries, packs, nodeModules);
    linkDependencies(root, libraries, manifests, nodeModules);
    const source = consumerSource(manifests.map((m) => m.name));
    const results: ConsumerResult[] = [];
    // One after another: each tsc checks every package's types (2 cores are shared).
    for (const setup of options.setups ?? CONSUMER_SETUPS) results.push(await checkSetup(root, base, setup, source));
    return results;
  } finally {
    if (options.keep === true) console.log(`consumer projects kept in ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const results = await checkConsumers({ root: process.argv[2] ?? process.cwd(), keep: process.argv.includes('--keep') });
  for (const result of results) {
    console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.setup}`);
    if (!result.ok) console.log(result.output.replace(/^/gm, '     '));
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
