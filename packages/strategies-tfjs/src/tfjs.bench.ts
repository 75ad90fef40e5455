import { createSeededRandom } from '@algo-trading/core';
import { bench, describe } from 'vitest';
import { selectBackend, type BackendName } from './backend';
import { TfjsClassifier } from './tfjs-classifier';

/**
 * Training time of the dense model (defaults: [64, 32], dropout 0.1, batch 256)
 * on 20,000 rows x 20 features x 10 epochs, and predictions per second on 100,000 rows, for the
 * wasm and cpu backends. Run: pnpm exec vitest bench --run --project strategies-tfjs
 * Predictions per second = 100,000 / mean time of the predict task.
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

const train = matrix(20_000, 20, 1);
const predictRows = matrix(100_000, 20, 2).X;
const trainingOptions = { epochs: 10, validationSplit: 0, earlyStoppingPatience: 0, seed: 42 } as const;

for (const backend of ['wasm', 'cpu'] as const satisfies readonly BackendName[]) {
  describe(`dense model on ${backend}`, () => {
    const use = async () => {
      await selectBackend({ preferred: backend });
    };
    let fitted: TfjsClassifier | undefined;

    bench(
      `fit 20,000 x 20, 10 epochs (${backend})`,
      async () => {
        const model = new TfjsClassifier(trainingOptions);
        await model.fit(train.X, train.y);
        model.dispose();
      },
      { iterations: 2, time: 0, warmupIterations: 0, warmupTime: 0, setup: use },
    );

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
          await use();
          if (fitted === undefined) {
            fitted = new TfjsClassifier({ ...trainingOptions, epochs: 1 });
            await fitted.fit(train.X.slice(0, 2000), train.y.slice(0, 2000));
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
