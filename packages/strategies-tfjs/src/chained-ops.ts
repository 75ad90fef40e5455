import type { TfCoreModule } from './tfjs-runtime';

/**
 * Chained tensor methods (`t.flatten()`, `t.toInt()`, ...) that @tensorflow/tfjs-layers calls.
 *
 * The @tensorflow/tfjs union bundle registers them on the Tensor prototype; the Node build of
 * @tensorflow/tfjs-core alone does not, so a model built with tfjs-core + tfjs-layers (our
 * dependencies) fails inside layers (`rMat.flatten is not a function`). This file mirrors
 * tfjs-core's `public/chained_ops/*` one-liners. A method already present (because the union
 * bundle or tfjs-node was loaded) is left untouched.
 */

/** Methods that forward to the op of the same name: `t.m(...args)` is `tf.m(t, ...args)`. */
const FORWARDED = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2',
  'atanh', 'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue',
  'conv1d', 'conv2d', 'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace',
  'depthwiseConv2d', 'dilation2d', 'div', 'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm',
  'exp', 'expandDims', 'expm1', 'fft', 'floor', 'floorDiv', 'gather', 'greater', 'greaterEqual',
  'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu', 'less', 'lessEqual',
  'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp', 'logicalAnd',
  'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum', 'mean', 'min',
  'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool',
  'pow', 'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'resizeBilinear',
  'resizeNearestNeighbor', 'reverse', 'rfft', 'round', 'rsqrt', 'selu', 'separableConv2d', 'sigmoid',
  'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square',
  'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile', 'topk',
  'transpose', 'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

type AnyFn = (...args: unknown[]) => unknown;
interface TensorLike {
  readonly size: number;
  readonly shape: number[];
  throwIfDisposed(): void;
}

function findOp(tf: TfCoreModule, name: string): AnyFn | undefined {
  const namespaces = [tf, tf.spectral, tf.image] as unknown as Record<string, unknown>[];
  for (const ns of namespaces) {
    const candidate = ns[name];
    if (typeof candidate === 'function') return candidate as AnyFn;
  }
  return undefined;
}

const registered = new WeakSet<object>();

/** Adds the chained methods to `tf.Tensor.prototype` once per tfjs-core instance. */
export function registerChainedOps(tf: TfCoreModule): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  if (registered.has(proto)) return;
  registered.add(proto);
  const define = (name: string, fn: (this: TensorLike, ...args: unknown[]) => unknown): void => {
    if (typeof proto[name] === 'function') return;
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
  };
  for (const name of FORWARDED) {
    const op = findOp(tf, name);
    if (op === undefined) continue;
    define(name, function (...args) {
      this.throwIfDisposed();
      return op(this, ...args);
    });
  }
  const reshape = tf.reshape as unknown as AnyFn;
  const cast = tf.cast as unknown as AnyFn;
  const flatten = function (this: TensorLike) {
    this.throwIfDisposed();
    return reshape(this, [this.size]);
  };
  define('flatten', flatten);
  define('as1D', flatten);
  define('as2D', function (rows, columns) {
    this.throwIfDisposed();
    return reshape(this, [rows, columns]);
  });
  define('as3D', function (rows, columns, depth) {
    this.throwIfDisposed();
    return reshape(this, [rows, columns, depth]);
  });
  define('as4D', function (rows, columns, depth, depth2) {
    this.throwIfDisposed();
    return reshape(this, [rows, columns, depth, depth2]);
  });
  define('as5D', function (rows, columns, depth, depth2, depth3) {
    this.throwIfDisposed();
    return reshape(this, [rows, columns, depth, depth2, depth3]);
  });
  define('asScalar', function () {
    this.throwIfDisposed();
    if (this.size !== 1) throw new Error('The array must have only 1 element.');
    return reshape(this, []);
  });
  define('asType', function (dtype) {
    this.throwIfDisposed();
    return cast(this, dtype);
  });
  define('toBool', function () {
    this.throwIfDisposed();
    return cast(this, 'bool');
  });
  define('toFloat', function () {
    this.throwIfDisposed();
    return cast(this, 'float32');
  });
  define('toInt', function () {
    this.throwIfDisposed();
    return cast(this, 'int32');
  });
  define('reshapeAs', function (other) {
    this.throwIfDisposed();
    return reshape(this, (other as TensorLike).shape);
  });
  const concat = tf.concat as unknown as AnyFn;
  define('concat', function (x, axis) {
    this.throwIfDisposed();
    const rest = x instanceof tf.Tensor ? [x] : (x as unknown[]);
    return concat([this, ...rest], axis);
  });
  const stack = tf.stack as unknown as AnyFn;
  define('stack', function (x, axis) {
    this.throwIfDisposed();
    const rest = x instanceof tf.Tensor ? [x] : (x as unknown[]);
    return stack([this, ...rest], axis);
  });
  const where = tf.where as unknown as AnyFn;
  define('where', function (condition, x) {
    this.throwIfDisposed();
    return where(condition, this, x);
  });
}
