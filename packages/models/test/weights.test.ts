import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createResNetEncoder, loadWeights, readWeights } from '../src/index';

const tiny = { stemWidth: 4, widths: [4, 8], blocks: [1, 1] };

describe('readWeights and loadWeights', () => {
  it('copy every variable between models', async () => {
    const source = createResNetEncoder(tiny, { seed: 1 });
    const target = createResNetEncoder(tiny, { seed: 2 });
    const images = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    tf.dispose(source.apply(images, { training: true }));

    loadWeights(target, await readWeights(source, 'encoder.'), 'encoder.');
    const a = source.apply(images, { training: false });
    const b = target.apply(images, { training: false });
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([images, a, b]);
    source.dispose();
    target.dispose();
  });

  it('names missing, unexpected and mis-shaped arrays', async () => {
    const model = createResNetEncoder(tiny);
    const arrays = await readWeights(model);
    const broken = arrays
      .filter((array) => array.name !== 'conv1.weight')
      .map((array) =>
        array.name === 'bn1.bias' ? { ...array, shape: [5], values: new Float32Array(5) } : array,
      );
    broken.push({ name: 'fc.weight', shape: [1], values: new Float32Array(1) });
    expect(() => loadWeights(model, broken)).toThrow(
      /missing: conv1.weight; unexpected: fc.weight; wrong shape: bn1.bias \(expected \[4\], found \[5\]\)/,
    );
    model.dispose();
  });
});
