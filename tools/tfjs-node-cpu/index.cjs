// danfojs-node requires @tensorflow/tfjs-node, whose install downloads a native library from a
// host outside the npm registry (it fails offline). The root package.json maps that name to this
// folder: the TensorFlow.js API of tfjs-core, with the JavaScript cpu backend registered, which is
// all danfojs needs for its tensor operations. The toolkit itself never loads it (see
// packages/strategies-tfjs/src/backend.ts: a package under that name that is not the real binding is skipped).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: danfojs-node require()s this module */
require('@tensorflow/tfjs-backend-cpu');
module.exports = require('@tensorflow/tfjs-core');
