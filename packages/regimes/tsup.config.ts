import { defineLibraryConfig } from '../../tools/config/tsup.preset';

export default defineLibraryConfig();
