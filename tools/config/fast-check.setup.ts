import fc from 'fast-check';

/**
 * Seeds of the property tests. Locally every run draws new random cases, so the suite keeps
 * exploring; a counterexample it finds becomes a plain regression test. Under CI (`CI` set) the
 * seed is fixed, so the gate is reproducible and a change fails it only by its own doing.
 * `FC_SEED=<n>` replays a run (fast-check prints the seed of a failure); `FC_SEED=random` forces
 * random cases under CI too. A test that passes its own `seed` keeps it.
 */
const requested = process.env.FC_SEED;
const ciSeed = 20_261_202;
const seed = requested === 'random' ? undefined : requested !== undefined ? Number(requested) : process.env.CI ? ciSeed : undefined;
if (seed !== undefined) {
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${JSON.stringify(requested)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
