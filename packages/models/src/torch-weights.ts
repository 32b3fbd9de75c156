import type { Module } from './module';
import type { NamedArray, SafetensorsTensor } from './safetensors';
import { loadWeights, readWeights } from './weights';

/** Options of {@link exportTorchWeights}. */
export interface ExportTorchWeightsOptions {
  /** Prepended to every name, `fc.` for a classifier on a torchvision ResNet. Default none. */
  prefix?: string;
}

/** Options of {@link importTorchWeights}. */
export interface ImportTorchWeightsOptions {
  /**
   * Only tensors whose names start with `prefix` are considered, with the prefix removed;
   * `fc.` loads a torchvision ResNet's classifier into a {@link LinearClassifier}. Default
   * none: every tensor.
   */
  prefix?: string;
  /**
   * Name prefixes (after `prefix` is removed) of tensors to skip, such as `['fc.']` to load
   * a full torchvision ResNet into an encoder. Default none.
   */
  exclude?: string[];
}

const BATCHES_TRACKED = 'num_batches_tracked';

/**
 * Reads every variable of `module` as float32 tensors in PyTorch's layouts, ready for
 * `encodeSafetensorsTensors` and `torch.nn.Module.load_state_dict`:
 * - convolution filters `[kh, kw, in, out]` (tfjs) become `[out, in, kh, kw]` (OIHW);
 * - Linear weights `[in, out]` become `[out, in]`;
 * - vectors are unchanged.
 * After each BatchNorm's `running_var` it adds the int64 scalar `num_batches_tracked` that
 * PyTorch's BatchNorm keeps, so the names equal the keys of the PyTorch module's
 * `state_dict()`. With this package's names that is torchvision's ResNet (without `fc`) or
 * an `nn.Sequential` head.
 *
 * NOTE: `num_batches_tracked` is written as 0 because this BatchNorm does not count
 * batches. PyTorch reads it only when a BatchNorm's momentum is None (a cumulative
 * average), so the exported statistics behave the same with the default momentum.
 */
export async function exportTorchWeights(
  module: Module,
  options: ExportTorchWeightsOptions = {},
): Promise<SafetensorsTensor[]> {
  const prefix = options.prefix ?? '';
  const tensors: SafetensorsTensor[] = [];
  for (const array of await readWeights(module, prefix)) {
    const converted = toTorchLayout(array);
    tensors.push({
      name: converted.name,
      dtype: 'F32',
      shape: converted.shape,
      data: new Uint8Array(
        converted.values.buffer,
        converted.values.byteOffset,
        converted.values.byteLength,
      ),
    });
    if (array.name.endsWith('running_var')) {
      tensors.push({
        name: array.name.slice(0, -'running_var'.length) + BATCHES_TRACKED,
        dtype: 'I64',
        shape: [],
        data: new Uint8Array(8),
      });
    }
  }
  return tensors;
}

/**
 * Assigns tensors in PyTorch's layouts (a `state_dict` saved as safetensors, as
 * {@link exportTorchWeights} writes it) to the variables of `module`, converting
 * convolution filters and Linear weights to tfjs's layouts. `num_batches_tracked` tensors
 * are skipped. Every other tensor must be float32.
 *
 * Like `loadWeights`, it checks everything before assigning anything, and throws naming
 * every variable without a tensor, every tensor without a variable, and every shape that
 * differs (shapes in the message are in tfjs's layout).
 */
export function importTorchWeights(
  module: Module,
  tensors: SafetensorsTensor[],
  options: ImportTorchWeightsOptions = {},
): void {
  const prefix = options.prefix ?? '';
  const exclude = options.exclude ?? [];
  const arrays: NamedArray[] = [];
  for (const tensor of tensors) {
    if (!tensor.name.startsWith(prefix)) {
      continue;
    }
    const name = tensor.name.slice(prefix.length);
    if (name === BATCHES_TRACKED || name.endsWith(`.${BATCHES_TRACKED}`)) {
      continue;
    }
    if (exclude.some((excluded) => name.startsWith(excluded))) {
      continue;
    }
    if (tensor.dtype !== 'F32') {
      throw new Error(
        `Unsupported dtype ${tensor.dtype} of '${tensor.name}': only float32 weights are read; convert the state dict with .float() before saving.`,
      );
    }
    const { data } = tensor;
    // decodeSafetensorsTensors returns aligned copies; copy again only if this view is not aligned.
    const values =
      data.byteOffset % 4 === 0
        ? new Float32Array(data.buffer, data.byteOffset, data.length / 4)
        : new Float32Array(data.slice().buffer);
    arrays.push(fromTorchLayout({ name: tensor.name, shape: tensor.shape, values }));
  }
  loadWeights(module, arrays, prefix);
}

/** Converts a tfjs-layout array to PyTorch's layout; see {@link exportTorchWeights}. */
export function toTorchLayout(array: NamedArray): NamedArray {
  if (array.shape.length === 4) {
    const [kh, kw, inChannels, outChannels] = array.shape as [number, number, number, number];
    return {
      name: array.name,
      shape: [outChannels, inChannels, kh, kw],
      values: permute(array.values, array.shape, [3, 2, 0, 1]),
    };
  }
  if (array.shape.length === 2) {
    const [rows, columns] = array.shape as [number, number];
    return {
      name: array.name,
      shape: [columns, rows],
      values: permute(array.values, array.shape, [1, 0]),
    };
  }
  return { name: array.name, shape: [...array.shape], values: array.values.slice() };
}

/** Converts a PyTorch-layout array to tfjs's layout, the inverse of {@link toTorchLayout}. */
export function fromTorchLayout(array: NamedArray): NamedArray {
  if (array.shape.length === 4) {
    const [outChannels, inChannels, kh, kw] = array.shape as [number, number, number, number];
    return {
      name: array.name,
      shape: [kh, kw, inChannels, outChannels],
      values: permute(array.values, array.shape, [2, 3, 1, 0]),
    };
  }
  if (array.shape.length === 2) {
    const [rows, columns] = array.shape as [number, number];
    return {
      name: array.name,
      shape: [columns, rows],
      values: permute(array.values, array.shape, [1, 0]),
    };
  }
  return { name: array.name, shape: [...array.shape], values: array.values.slice() };
}

/**
 * Transposes row-major `values` of `shape` so that output axis i is input axis `axes[i]`,
 * as `tf.transpose` does, in plain JavaScript so that no backend is involved.
 */
function permute(values: Float32Array, shape: number[], axes: number[]): Float32Array {
  const rank = shape.length;
  const outShape = axes.map((axis) => shape[axis]!);
  const inStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    inStrides[axis] = stride;
    stride *= shape[axis]!;
  }
  // Stride in the input of a step along each output axis.
  const steps = axes.map((axis) => inStrides[axis]!);
  const output = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  let source = 0;
  for (let target = 0; target < output.length; target++) {
    output[target] = values[source]!;
    // Advance the output index like an odometer, moving the input offset along.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = index[axis]! + 1;
      source += steps[axis]!;
      if (index[axis]! < outShape[axis]!) {
        break;
      }
      source -= steps[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
  return output;
}
