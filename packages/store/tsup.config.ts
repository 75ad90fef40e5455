import { defineLibraryConfig } from '../../tools/config/tsup.preset';

// shims: the CJS build needs `import.meta.url` (DuckDB's CommonJS packages are required from this package).
export default defineLibraryConfig({ shims: true });
