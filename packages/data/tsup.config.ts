import { defineLibraryConfig } from '../../tools/config/tsup.preset';

// shims: the CJS build needs `import.meta.url` (optional peers are resolved from this package).
export default defineLibraryConfig({ shims: true });
