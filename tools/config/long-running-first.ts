import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The comment that marks a test file as long-running; see {@link LongRunningFirstSequencer}. */
export const LONG_RUNNING_MARKER = '@long-running';

/**
 * Vitest's own order runs the projects one after another, longest file first within each when
 * its cache of durations exists. A fresh clone (CI) has no cache, so a file that starts processes
 * or services (the CLI, Redis, DuckDB, tsc) could start last and run alone on one core at the
 * end: the consumer check did, for 30 s of a 225 s run. Files that say `@long-running` in their
 * first lines start first, across every project; the rest keep vitest's order.
 */
export class LongRunningFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isLong = (spec: TestSpecification) => readFileSync(spec.moduleId, 'utf8').slice(0, 2000).includes(LONG_RUNNING_MARKER);
    const long = sorted.filter(isLong);
    return [...long, ...sorted.filter((spec) => !long.includes(spec))];
  }
}
