import { defineLibraryConfig } from '../../tools/config/tsup.preset';

// Two entries: the library (index) and the worker-thread entry the pool starts (thread.js, next to
// index.js and index.cjs). `shims` gives the CJS build an import.meta.url to find it by.
export default defineLibraryConfig({ entry: ['src/index.ts', 'src/thread.ts'], shims: true });
