/**
 * The `algo-trading` binary. Runs the CLI on the process's arguments and exits with its code.
 *
 * SIGINT / SIGTERM: the first signal records an interrupt. The run stops at its next checkpoint
 * (between folds, between output steps, inside training) with exit code 130 / 143, removing its
 * temporary output folder on the way. If it has not stopped within `interruptGraceMs()` (or on a
 * second signal), the handler removes every registered temporary path itself and exits with the
 * same code. Either way no partial output is left behind.
 */
import { EXIT_CODES } from './exit-codes';
import { interruptGraceMs, pendingInterrupt, requestInterrupt } from './interrupt';
import { cleanupTempPaths } from './output/temp-files';
import { interruptedMessage, runCli } from './program';

function exitCodeOf(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? EXIT_CODES.TERMINATED : EXIT_CODES.INTERRUPTED;
}

function stopNow(signal: NodeJS.Signals): never {
  cleanupTempPaths();
  process.stderr.write(`\n${interruptedMessage(signal)}\n`);
  process.exit(exitCodeOf(signal));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const earlier = pendingInterrupt();
    if (earlier !== undefined) stopNow(earlier);
    requestInterrupt(signal);
    setTimeout(() => stopNow(signal), interruptGraceMs());
  });
}

const code = await runCli(process.argv.slice(2));
cleanupTempPaths();
// Let pending stdout writes drain, then exit (tfjs keeps handles open that would delay a natural exit).
process.stdout.write('', () => process.exit(code));
