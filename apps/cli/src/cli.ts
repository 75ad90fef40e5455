/**
 * The `algo-trading` binary. Runs the CLI on the process's arguments and exits with its code.
 * On SIGINT / SIGTERM it removes every temporary file of the run (so an interrupted run leaves no
 * partial file) and exits with 130 / 143.
 */
import { EXIT_CODES } from './exit-codes';
import { cleanupTempPaths } from './output/temp-files';
import { runCli } from './program';

function onSignal(signal: NodeJS.Signals, exitCode: number): void {
  process.once(signal, () => {
    cleanupTempPaths();
    process.stderr.write(`\nalgo-trading: interrupted (${signal}); no partial output was left behind\n`);
    process.exit(exitCode);
  });
}

onSignal('SIGINT', EXIT_CODES.INTERRUPTED);
onSignal('SIGTERM', 143);

const code = await runCli(process.argv.slice(2));
cleanupTempPaths();
// Let pending stdout writes drain, then exit (tfjs keeps handles open that would delay a natural exit).
process.stdout.write('', () => process.exit(code));
