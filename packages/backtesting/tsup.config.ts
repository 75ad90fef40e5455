import { defineLibraryConfig } from '../../tools/config/tsup.preset';

// `constants`: the package's constants alone (`@algo-trading/backtesting/constants`), importing nothing.
export default defineLibraryConfig({ entry: ['src/index.ts', 'src/constants.ts'] });
