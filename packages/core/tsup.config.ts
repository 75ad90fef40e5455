import { defineLibraryConfig } from '../../tools/config/tsup.preset';

// shims: the CJS build needs `import.meta.url` (the logger requires pino when it is first set up).
export default defineLibraryConfig({ shims: true });
