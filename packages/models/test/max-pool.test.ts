import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { MaxPool2d, ShapeTrace } from '../src/index';

type Shape4D = [number, number, number, number];

afterEach(async () => {
  await tf.setBackend('cpu');
});

/**
 * PyTorch's `nn.MaxPool2d` written out in plain JavaScript: padded positions count as −∞,
 * and the gradient of each output goes to the first maximum of its window in row-major
 * order. Returns the output and the gradient of sum(output · weights).
 */
function reference(
  x: Float32Array,
  [batch, height, width, channels]: number[],
  weights: Float32Array,
  { kernelSize, stride, padding }: { kernelSize: number; stride: number; padding: number },
) {
  const size = (length: number) => Math.floor((length + 2 * padding - kernelSize) / stride) + 1;
  const [outHeight, outWidth] = [size(height!), size(width!)];
  const output = new Float32Array(batch! * outHeight * outWidth * channels!);
  const gradient = new Float32Array(x.length);
  let o = 0;
  for (let n = 0; n < batch!; n++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        for (let c = 0; c < channels!; c++, o++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let di = 0; di < kernelSize; di++) {
            for (let dj = 0; dj < kernelSize; dj++) {
              const row = i * stride - padding + di;
              const column = j * stride - padding + dj;
              if (row < 0 || row >= height! || column < 0 || column >= width!) {
                continue;
              }
              const index = ((n * height! + row) * width! + column) * channels! + c;
              if (x[index]! > best) {
                best = x[index]!;
                bestIndex = index;
              }
            }
          }
          output[o] = best;
          gradient[bestIndex] = gradient[bestIndex]! + weights[o]!;
        }
      }
    }
  }
  return { output, gradient, outputShape: [batch!, outHeight, outWidth, channels!] };
}

describe('MaxPool2d', () => {
  it.each([
    ['cpu', [2, 7, 6, 3]],
    ['cpu', [1, 8, 8, 2]],
    ['wasm', [2, 7, 6, 3]],
    ['wasm', [1, 8, 8, 2]],
  ])('matches PyTorch semantics on %s for input %j', async (backend, shape) => {
    await tf.setBackend(backend);
    const config = { kernelSize: 3, stride: 2, padding: 1 };
    const pool = new MaxPool2d(config);
    // Negative values make the padding matter: zero padding would win at the border.
    const x = tf.randomNormal(shape as Shape4D, -1, 1, 'float32', 4) as tf.Tensor4D;
    const expected = reference(
      x.dataSync() as Float32Array,
      shape,
      tf.tidy(() => tf.onesLike(pool.apply(x))).dataSync() as Float32Array,
      config,
    );
    const weights = tf.randomUniform(expected.outputShape, 0.5, 1.5, 'float32', 5);
    const withWeights = reference(
      x.dataSync() as Float32Array,
      shape,
      weights.dataSync() as Float32Array,
      config,
    );

    const y = pool.apply(x);
    expect(y.shape).toEqual(expected.outputShape);
    Array.from(y.dataSync()).forEach((value, i) =>
      expect(value).toBeCloseTo(expected.output[i]!, 6),
    );
    const dx = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(pool.apply(input as tf.Tensor4D), weights)),
    )(x);
    Array.from(dx.dataSync()).forEach((value, i) =>
      expect(value).toBeCloseTo(withWeights.gradient[i]!, 5),
    );
    tf.dispose([x, y, dx, weights]);
  });

  // tfjs-backend-wasm 4.22's MaxPoolGrad kernel sends the gradient of such windows to
  // element 0, which MaxPool2d's own gradient avoids.
  it.each(['cpu', 'wasm'])('routes all-zero windows like PyTorch on %s', async (backend) => {
    await tf.setBackend(backend);
    const pool = new MaxPool2d({ kernelSize: 2, stride: 2 });
    const x = tf.tensor4d([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0, 0, 0, 0, 0], [1, 4, 4, 1]);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(pool.apply(input as tf.Tensor4D)))(x);
    // Windows of rows 0–1 and 2–3, columns 0–1 and 2–3: the all-zero ones pick their first
    // element, (0, 2) and (2, 0).
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    tf.dispose([x, dx]);
  });

  it('ties go to the first maximum', () => {
    const pool = new MaxPool2d({ kernelSize: 3, stride: 1, padding: 1 });
    const x = tf.tensor4d([1, 2, 2, 1], [1, 2, 2, 1]);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(pool.apply(input as tf.Tensor4D)))(x);
    // Every window covers the whole input; its maximum 2 is first at (0, 1).
    expect(Array.from(dx.dataSync())).toEqual([0, 4, 0, 0]);
    tf.dispose([x, dx]);
  });

  it('traces the output shape', () => {
    const trace = new ShapeTrace();
    const shape = new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 }).traceShapes(
      [4, 112, 112, 64],
      trace,
      'maxpool',
    );
    expect(shape).toEqual([4, 56, 56, 64]);
    expect(trace.rows).toEqual([
      {
        name: 'maxpool',
        layer: 'MaxPool2d',
        depth: 0,
        outputShape: [4, 56, 56, 64],
        parameters: 0,
        multAdds: 0,
      },
    ]);
  });

  it.each([
    [{ kernelSize: 0, stride: 1 }, /kernelSize 0/],
    [{ kernelSize: 3, stride: 1.5 }, /stride 1.5/],
    [{ kernelSize: 3, stride: 2, padding: 2 }, /padding 2/],
  ])('rejects %j', (config, message) => {
    expect(() => new MaxPool2d(config)).toThrow(message);
  });

  it.each(['cpu', 'wasm'])('leaks no tensors on %s', async (backend) => {
    await tf.setBackend(backend);
    const pool = new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 });
    const x = tf.randomNormal([1, 9, 9, 2]) as tf.Tensor4D;
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(pool.apply(input as tf.Tensor4D)));
    tf.dispose(gradient(x));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(pool.apply(x));
      tf.dispose(gradient(x));
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
