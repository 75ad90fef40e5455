import { AlgoTradingError } from '@algo-trading/core';
import type { GradSaveFunc, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TfCoreModule } from './tfjs-runtime';

/**
 * The tensors of one batch: the samples `x` (`[n, ...sampleShape]`), and for a network whose
 * first layer is dense, the same rows transposed (`[features, n]`), so that the first layer's
 * weight gradient needs no transpose.
 */
export interface BatchInput {
  readonly x: Tensor;
  readonly xTransposed?: Tensor | undefined;
}

/** A dropout layer as the training loop sees it. */
export interface DropoutSite {
  readonly rate: number;
  /** Mask values per sample (the product of the layer's output shape without the batch axis). */
  readonly sampleSize: number;
}

/**
 * The network of a layers model as the training loop runs it: the logit of P(label = 1) per sample,
 * with explicit dropout masks, and its trainable variables.
 */
export interface TrainingGraph {
  /** The model's trainable variables, in the model's order. */
  readonly variables: readonly Variable[];
  /** Dropout layers in order; the loop passes one mask per site (training) or none (inference). */
  readonly dropouts: readonly DropoutSite[];
  /** Whether {@link BatchInput.xTransposed} is used (the first layer is dense on 2-D input). */
  readonly wantsTransposedInput: boolean;
  /** Logits `[n, 1]`. `masks` (one per dropout site, values 0 or 1 / (1 - rate)) turn training on. */
  logits(input: BatchInput, masks?: readonly Tensor[]): Tensor;
  /** Frees the graph's own constants (not the model). */
  dispose(): void;
}

/** The value of a custom op and its gradient with respect to each input, given the output's gradient. */
interface CustomOp {
  readonly value: Tensor;
  readonly gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/** `tf.customGrad` over a fixed list of tensor inputs (its typing mixes the inputs and `save`). */
function customOp(tf: TfCoreModule, f: (inputs: Tensor[], save: GradSaveFunc) => CustomOp): (...inputs: Tensor[]) => Tensor {
  const wrapped = (...args: (Tensor | GradSaveFunc)[]) => {
    const save = args[args.length - 1] as GradSaveFunc;
    return f(args.slice(0, -1) as Tensor[], save);
  };
  return tf.customGrad(wrapped as unknown as Parameters<TfCoreModule['customGrad']>[0]) as (...inputs: Tensor[]) => Tensor;
}

type Activation = 'linear' | 'relu' | 'tanh' | 'elu' | 'selu' | 'sigmoid';
const UNFUSED = { tanh: 'tanh', elu: 'elu', selu: 'selu' } as const;

interface LayerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly trainableWeights: readonly { read(): Tensor }[];
  readonly outputShape: unknown;
  apply(input: Tensor, kwargs: { training: boolean }): unknown;
}

function perSample(shape: unknown, where: string): number {
  const dims = Array.isArray(shape) && !Array.isArray(shape[0]) ? (shape as (number | null)[]).slice(1) : undefined;
  if (dims === undefined || dims.some((d) => typeof d !== 'number')) {
    throw new AlgoTradingError('INVALID_STATE', `${where}: cannot size its dropout mask from output shape ${JSON.stringify(shape)}`);
  }
  return (dims as number[]).reduce((a, b) => a * b, 1);
}

/**
 * Builds the {@link TrainingGraph} of a sequential model made of dense, dropout and other layers
 * whose last layer is a dense layer with a sigmoid (the models of this package).
 *
 * Dense layers run as one op with a hand-written gradient, because of how the wasm backend
 * executes matrix products: only `a @ b` without transposes goes to XNNPACK; `a^T @ b` and
 * `a @ b^T` (what tfjs' own matMul gradient asks for) take a scalar loop several times slower,
 * and a transpose of a batch-sized matrix costs about as much as the product itself. So:
 * - forward: `act(x @ W + b)` as one fused product (relu and linear fused; tanh, elu and selu
 *   applied after it as the layer does);
 * - weight gradient `x^T @ dz`: from the uploaded transposed batch for the first layer; otherwise
 *   `(dz^T @ x)^T`, transposing the narrower of `x` and `dz`; bias gradient from `dz^T` or
 *   `ones @ dz`, never a column sum (which transposes);
 * - input gradient `dz @ W^T` with `W^T` (small) transposed explicitly; not computed at all for
 *   the first layer, whose input is data.
 * The last layer returns its logit (the sigmoid is left to the loss). Other layers (LSTM) run
 * through `layer.apply` and tfjs' own gradients.
 */
export function trainingGraph(tf: TfCoreModule, model: LayersModel): TrainingGraph {
  const layers = model.layers as unknown as LayerLike[];
  const last = layers[layers.length - 1];
  if (last === undefined || last.getClassName() !== 'Dense' || last.getConfig()['activation'] !== 'sigmoid') {
    throw new AlgoTradingError('INVALID_STATE', 'the network must end with a dense layer with a sigmoid activation');
  }
  const variables = model.trainableWeights.map((w) => w.read() as Variable);
  const dropouts: DropoutSite[] = [];
  const steps: ((h: Tensor, input: BatchInput, masks: readonly Tensor[] | undefined) => Tensor)[] = [];
  const ones = new Map<number, Tensor>();
  const onesRow = (n: number): Tensor => {
    let row = ones.get(n);
    if (row === undefined || row.isDisposed) {
      row = tf.keep(tf.ones([1, n]));
      ones.set(n, row);
    }
    return row;
  };

  const affineGradients = (x: Tensor2D, xT: Tensor2D | undefined, dz: Tensor2D): [Tensor, Tensor] => {
    const [n, inputs] = x.shape;
    const units = dz.shape[1];
    if (xT !== undefined) return [tf.matMul(xT, dz), tf.reshape(tf.matMul(onesRow(n) as Tensor2D, dz), [units])];
    if (units <= inputs) {
      const dzT = tf.transpose(dz);
      return [tf.transpose(tf.matMul(dzT, x)), tf.sum(dzT, 1)];
    }
    return [tf.matMul(tf.transpose(x), dz), tf.reshape(tf.matMul(onesRow(n) as Tensor2D, dz), [units])];
  };

  layers.forEach((layer, index) => {
    const kind = layer.getClassName();
    const where = `layer ${index} (${kind})`;
    if (kind === 'Dropout') {
      const rate = layer.getConfig()['rate'] as number;
      const site = dropouts.length;
      dropouts.push({ rate, sampleSize: perSample(layer.outputShape, where) });
      steps.push((h, _input, masks) => (masks === undefined ? h : tf.mul(h, masks[site]!)));
      return;
    }
    if (kind !== 'Dense') {
      steps.push((h, _input, masks) => layer.apply(h, { training: masks !== undefined }) as Tensor);
      return;
    }
    const config = layer.getConfig();
    const activation = config['activation'] as Activation;
    const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as Variable);
    if (kernel === undefined || bias === undefined || config['useBias'] !== true) {
      throw new AlgoTradingError('INVALID_STATE', `${where}: a dense layer needs a kernel and a bias`);
    }
    const fused = activation === 'relu' ? 'relu' : 'linear';
    const after = index === layers.length - 1 ? undefined : activation in UNFUSED ? UNFUSED[activation as keyof typeof UNFUSED] : undefined;
    if (activation !== 'relu' && activation !== 'linear' && after === undefined && index !== layers.length - 1) {
      throw new AlgoTradingError('INVALID_STATE', `${where}: unsupported activation ${activation}`);
    }
    const first = index === 0;
    const dz = (dy: Tensor, y: Tensor): Tensor2D => (fused === 'relu' ? tf.mul(dy, tf.step(y)) : dy) as Tensor2D;
    const forward = (x: Tensor, w: Tensor, b: Tensor): Tensor => tf.fused.matMul({ a: x as Tensor2D, b: w as Tensor2D, bias: b, activation: fused });
    // The first layer's input is data: only W and b get gradients.
    const firstOp = (input: BatchInput) =>
      customOp(tf, ([w, b], save) => {
        const y = forward(input.x, w!, b!);
        save([y]);
        return {
          value: y,
          gradFunc: (dy, [saved]) => affineGradients(input.x as Tensor2D, input.xTransposed as Tensor2D | undefined, dz(dy, saved!)),
        };
      });
    const innerOp = customOp(tf, ([x, w, b], save) => {
      const y = forward(x!, w!, b!);
      save([x!, w!, y]);
      return {
        value: y,
        gradFunc: (dy, [sx, sw, sy]) => {
          const d = dz(dy, sy!);
          return [tf.matMul(d, tf.transpose(sw!) as Tensor2D), ...affineGradients(sx as Tensor2D, undefined, d)];
        },
      };
    });
    steps.push((h, input) => {
      let y = first ? firstOp(input)(kernel, bias) : innerOp(h, kernel, bias);
      if (after !== undefined) y = tf[after](y);
      return y;
    });
  });

  const wantsTransposedInput = layers[0]?.getClassName() === 'Dense';
  return {
    variables,
    dropouts,
    wantsTransposedInput,
    logits(input, masks) {
      if (masks !== undefined && masks.length !== dropouts.length) {
        throw new AlgoTradingError('INVALID_STATE', `expected ${dropouts.length} dropout mask(s), got ${masks.length}`);
      }
      let h = input.x;
      for (const step of steps) h = step(h, input, masks);
      return h;
    },
    dispose() {
      tf.dispose([...ones.values()]);
      ones.clear();
    },
  };
}

/**
 * Mean binary cross-entropy of labels `y` (0/1, `[n, 1]`) given logits `z`, optionally weighted
 * per sample (`w`, `[n, 1]`): mean(w * (softplus(z) - y z)), which is -mean(w * (y log p +
 * (1 - y) log(1 - p))) with p = sigmoid(z), computed without forming p. Its gradient with respect
 * to z is w * (sigmoid(z) - y) / n (one op chain instead of differentiating the formula).
 */
export function binaryCrossEntropy(tf: TfCoreModule, z: Tensor, y: Tensor, w?: Tensor): Tensor {
  const n = z.shape[0]!;
  const op = customOp(tf, ([logits], save) => {
    save([logits!]);
    let perSample = tf.sub(tf.softplus(logits!), tf.mul(y, logits!));
    if (w !== undefined) perSample = tf.mul(perSample, w);
    return {
      value: tf.mean(perSample),
      gradFunc: (dy, [saved]) => {
        let g = tf.sub(tf.sigmoid(saved!), y);
        if (w !== undefined) g = tf.mul(g, w);
        return tf.mul(g, tf.mul(dy, 1 / n));
      },
    };
  });
  return op(z);
}

/**
 * How many samples the 0.5 cut classifies right: predicted 1 when the logit is above 0 (p > 0.5,
 * as `predictProba` users read it), compared with labels `y` (`[n, 1]`). An int32 scalar.
 */
export function correctCount(tf: TfCoreModule, z: Tensor, y: Tensor): Tensor {
  return tf.sum(tf.equal(tf.step(z), y));
}
