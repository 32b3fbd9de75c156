import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  LinearClassifier,
  ProjectionHead,
  createResNetEncoder,
  exportTorchWeights,
  fromTorchLayout,
  importTorchWeights,
  readWeights,
  toTorchLayout,
  type SafetensorsTensor,
} from '../src/index';

const tiny = { stemWidth: 4, widths: [4, 8], blocks: [1, 1] };

function floats(tensor: SafetensorsTensor): number[] {
  return Array.from(
    new Float32Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.length / 4),
  );
}

describe('torch layouts', () => {
  it.each([
    ['convolution filter', [3, 2, 4, 5], [3, 2, 0, 1], [5, 4, 3, 2]],
    ['Linear weight', [6, 7], [1, 0], [7, 6]],
  ])('%s matches tf.transpose', (_name, shape, permutation, torchShape) => {
    const tensor = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const values = tensor.dataSync() as Float32Array;
    const converted = toTorchLayout({ name: 'w', shape, values });
    expect(converted.shape).toEqual(torchShape);
    const expected = tf.transpose(tensor, permutation);
    expect(Array.from(converted.values)).toEqual(Array.from(expected.dataSync()));
    const back = fromTorchLayout(converted);
    expect(back.shape).toEqual(shape);
    expect(Array.from(back.values)).toEqual(Array.from(values));
    tf.dispose([tensor, expected]);
  });

  it('keeps vectors unchanged', () => {
    const values = Float32Array.from([1, 2, 3]);
    expect(toTorchLayout({ name: 'b', shape: [3], values })).toEqual({
      name: 'b',
      shape: [3],
      values,
    });
  });
});

describe('exportTorchWeights', () => {
  it('writes torchvision names, layouts and num_batches_tracked', async () => {
    const encoder = createResNetEncoder(tiny, { seed: 1 });
    const tensors = await exportTorchWeights(encoder);
    const names = tensors.map((tensor) => tensor.name);
    expect(names.slice(0, 6)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'bn1.num_batches_tracked',
    ]);
    const conv = tensors[0]!;
    expect(conv.shape).toEqual([4, 3, 3, 3]);
    const tracked = tensors[5]!;
    expect(tracked.dtype).toBe('I64');
    expect(tracked.shape).toEqual([]);
    expect(new BigInt64Array(tracked.data.slice().buffer)[0]).toBe(0n);
    const batchNorms = names.filter((name) => name.endsWith('running_var')).length;
    expect(names.filter((name) => name.endsWith('num_batches_tracked'))).toHaveLength(batchNorms);
    encoder.dispose();
  });

  it('prefixes a classifier as fc', async () => {
    const classifier = new LinearClassifier({ inputDim: 3, numClasses: 2, seed: 1 });
    const tensors = await exportTorchWeights(classifier, { prefix: 'fc.' });
    expect(tensors.map((tensor) => [tensor.name, tensor.shape])).toEqual([
      ['fc.weight', [2, 3]],
      ['fc.bias', [2]],
    ]);
    const [weight] = await readWeights(classifier);
    // PyTorch's weight[j][i] is tfjs's weight[i][j].
    expect(floats(tensors[0]!)[1 * 3 + 2]).toBe(weight!.values[2 * 2 + 1]);
    classifier.dispose();
  });
});

describe('importTorchWeights', () => {
  it('round-trips an encoder and a head', async () => {
    const images = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const source = createResNetEncoder(tiny, { seed: 1 });
    const target = createResNetEncoder(tiny, { seed: 2 });
    const sourceHead = new ProjectionHead({ inputDim: 8, outputDim: 3, seed: 3 });
    const targetHead = new ProjectionHead({ inputDim: 8, outputDim: 3, seed: 4 });
    tf.dispose(sourceHead.apply(source.apply(images, { training: true }), { training: true }));

    importTorchWeights(target, await exportTorchWeights(source));
    importTorchWeights(targetHead, await exportTorchWeights(sourceHead, { prefix: 'head.' }), {
      prefix: 'head.',
    });
    const run = (encoder: typeof source, head: typeof sourceHead) =>
      tf.tidy(() => head.apply(encoder.apply(images, { training: false }), { training: false }));
    const expected = run(source, sourceHead);
    const actual = run(target, targetHead);
    expect(Array.from(await actual.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([images, expected, actual]);
    [source, target, sourceHead, targetHead].forEach((module) => module.dispose());
  });

  it('names missing, unexpected and mis-shaped tensors', async () => {
    const encoder = createResNetEncoder(tiny);
    const tensors = (await exportTorchWeights(encoder))
      .filter((tensor) => tensor.name !== 'bn1.weight')
      .concat([{ name: 'fc.bias', dtype: 'F32', shape: [1], data: new Uint8Array(4) }])
      .map((tensor) =>
        tensor.name === 'conv1.weight' ? { ...tensor, shape: [4, 3, 1, 9] } : tensor,
      );
    expect(() => importTorchWeights(encoder, tensors)).toThrow(
      /missing: bn1.weight; unexpected: fc.bias; wrong shape: conv1.weight \(expected \[3,3,3,4\], found \[1,9,3,4\]\)/,
    );
    expect(() =>
      importTorchWeights(
        encoder,
        tensors.filter((t) => t.name !== 'conv1.weight'),
        { exclude: ['fc.'] },
      ),
    ).toThrow(/^The weights do not fit the model; missing: conv1.weight, bn1.weight\.$/);
    encoder.dispose();
  });

  it('rejects float64 weights with a hint', async () => {
    const classifier = new LinearClassifier({ inputDim: 1, numClasses: 1 });
    const tensors: SafetensorsTensor[] = [
      { name: 'weight', dtype: 'F64', shape: [1, 1], data: new Uint8Array(8) },
      { name: 'bias', dtype: 'F32', shape: [1], data: new Uint8Array(4) },
    ];
    expect(() => importTorchWeights(classifier, tensors)).toThrow(
      /Unsupported dtype F64 of 'weight'.*\.float\(\)/,
    );
    classifier.dispose();
  });
});
