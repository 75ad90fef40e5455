import { createSeededRandom } from '@algo-trading/core';
import { bench, describe } from 'vitest';
import { selectBackend, type BackendName } from './backend';
import { TfjsClassifier } from './tfjs-classifier';

/**
 * Prediction throughput of the dense model (defaults: [64, 32]) on 100,000 rows x 20 features,
 * for the wasm and cpu backends. Run: pnpm exec vitest bench --run --project strategies-tfjs
 * Predictions per second = 100,000 / mean time of the task. Training time is measured by
 * tools/bench/src/tfjs-fit-bench.ts, each run in its own process.
 */
function matrix(rows: number, columns: number, seed: number): { X: Float64Array[]; y: Uint8Array } {
  const rng = createSeededRandom(seed);
  const X: Float64Array[] = [];
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Float64Array(columns);
    for (let j = 0; j < columns; j++) row[j] = rng.normal();
    X.push(row);
    y[i] = row[0]! + 0.5 * row[1]! + rng.normal() > 0 ? 1 : 0;
  }
  return { X, y };
}

const train = matrix(2_000, 20, 1);
const predictRows = matrix(100_000, 20, 2).X;

for (const backend of ['wasm', 'cpu'] as const satisfies readonly BackendName[]) {
  describe(`dense model on ${backend}`, () => {
    let fitted: TfjsClassifier | undefined;

    bench(
      `predictProba 100,000 rows (${backend})`,
      async () => {
        await fitted!.predictProba(predictRows);
      },
      {
        iterations: 5,
        time: 0,
        warmupIterations: 1,
        warmupTime: 0,
        setup: async () => {
          await selectBackend({ preferred: backend });
          if (fitted === undefined) {
            fitted = new TfjsClassifier({ epochs: 1, validationSplit: 0, earlyStoppingPatience: 0, seed: 42 });
            await fitted.fit(train.X, train.y);
          }
        },
        teardown: () => {
          fitted?.dispose();
          fitted = undefined;
        },
      },
    );
  });
}
