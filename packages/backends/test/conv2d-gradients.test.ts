import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, restoreWasmKernels } from '../src/register-wasm-kernels';
import { backendDataIds, relativeError, seededValues, valuesOn } from './helpers';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

// NHWC shapes; the filter is [fh, fw, inChannels, outChannels].
const CASES: ConvCase[] = [
  {
    name: 'batch 1, 7x7, 1 channel, 3x3 same',
    x: [1, 7, 7, 1],
    filter: [3, 3, 1, 1],
    strides: 1,
    pad: 'same',
  },
  {
    name: '7x7, 3->16, 3x3 stride 2 same',
    x: [2, 7, 7, 3],
    filter: [3, 3, 3, 16],
    strides: 2,
    pad: 'same',
  },
  {
    name: '9x5, 3x3 stride 2 valid',
    x: [2, 9, 5, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '9x5, 16->3, 1x1 stride 2 valid',
    x: [3, 9, 5, 16],
    filter: [1, 1, 16, 3],
    strides: 2,
    pad: 'valid',
  },
  {
    name: 'batch 1, 8x8, 16->16, 3x3 valid',
    x: [1, 8, 8, 16],
    filter: [3, 3, 16, 16],
    strides: 1,
    pad: 'valid',
  },
  {
    name: '6x6, 1x1 stride 1 same',
    x: [1, 6, 6, 3],
    filter: [1, 1, 3, 1],
    strides: 1,
    pad: 'same',
  },
  {
    name: '7x9, explicit asymmetric padding',
    x: [2, 7, 9, 3],
    filter: [3, 3, 3, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: '9x5, explicit padding, stride 2',
    x: [2, 9, 5, 1],
    filter: [3, 3, 1, 3],
    strides: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: 'explicit padding wider than the filter',
    x: [1, 5, 6, 2],
    filter: [3, 3, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [4, 3],
      [3, 4],
      [0, 0],
    ],
  },
  {
    name: 'strides [2, 1], same',
    x: [2, 10, 9, 3],
    filter: [3, 3, 3, 4],
    strides: [2, 1],
    pad: 'same',
  },
  {
    name: '2x2 filter, stride 2 same',
    x: [2, 6, 7, 3],
    filter: [2, 2, 3, 5],
    strides: 2,
    pad: 'same',
  },
  { name: 'numeric pad 1, stride 2', x: [2, 8, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 1 },
  {
    name: 'numeric pad with ceil rounding',
    x: [1, 8, 8, 2],
    filter: [3, 3, 2, 3],
    strides: 2,
    pad: 1,
    dimRoundingMode: 'ceil',
  },
  {
    name: 'stride 3 wider than a 2x2 filter',
    x: [2, 10, 11, 3],
    filter: [2, 2, 3, 4],
    strides: 3,
    pad: 'valid',
  },
  {
    name: '5x5 filter, stride 3 same',
    x: [1, 11, 13, 2],
    filter: [5, 5, 2, 3],
    strides: 3,
    pad: 'same',
  },
  {
    name: 'strides [1, 2], 3x2 filter, explicit padding',
    x: [2, 7, 8, 3],
    filter: [3, 2, 3, 2],
    strides: [1, 2],
    pad: [
      [0, 0],
      [0, 2],
      [1, 0],
      [0, 0],
    ],
  },
  {
    name: '1x1 filter, explicit padding',
    x: [2, 5, 4, 3],
    filter: [1, 1, 3, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  },
  {
    name: '1x1 filter, 1x1 input, stride 2, padded on top',
    x: [2, 1, 1, 2],
    filter: [1, 1, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [1, 0],
      [0, 0],
      [0, 0],
    ],
  },
];

const TOLERANCE = 1e-4;

function outputShape(c: ConvCase): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    1,
    c.pad,
    c.dimRoundingMode,
  );
  return [c.x[0], info.outHeight, info.outWidth, c.filter[3]];
}

function filterGradient(c: ConvCase, xValues: Float32Array, dyValues: Float32Array): tf.Tensor {
  const x = tf.tensor4d(xValues, c.x);
  const dy = tf.tensor4d(dyValues, outputShape(c));
  const attrs = {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: c.dimRoundingMode,
    filterShape: c.filter,
  };
  return tf
    .engine()
    .runKernel(
      tf.Conv2DBackpropFilter,
      { x, dy },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
}

function inputGradient(c: ConvCase, dyValues: Float32Array, filterValues: Float32Array): tf.Tensor {
  const dy = tf.tensor4d(dyValues, outputShape(c));
  const filter = tf.tensor4d(filterValues, c.filter);
  const attrs = {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: c.dimRoundingMode,
    inputShape: c.x,
  };
  return tf
    .engine()
    .runKernel(
      tf.Conv2DBackpropInput,
      { dy, filter },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
}

function inputsFor(c: ConvCase) {
  return {
    x: seededValues(tf.util.sizeFromShape(c.x), 1),
    dy: seededValues(tf.util.sizeFromShape(outputShape(c)), 2),
    filter: seededValues(tf.util.sizeFromShape(c.filter), 3),
  };
}

describe('composed conv2d gradients on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    restoreWasmKernels();
    await tf.setBackend('cpu');
  });

  it.each(CASES)('filter gradient matches cpu: $name', async (c) => {
    const v = inputsFor(c);
    const [expected] = await valuesOn('cpu', () => filterGradient(c, v.x, v.dy));
    const [actual] = await valuesOn('wasm', () => filterGradient(c, v.x, v.dy));

    expect(actual!.length).toBe(tf.util.sizeFromShape(c.filter));
    expect(relativeError(actual!, expected!)).toBeLessThan(TOLERANCE);
  });

  it.each(CASES)('input gradient matches cpu: $name', async (c) => {
    const v = inputsFor(c);
    const [expected] = await valuesOn('cpu', () => inputGradient(c, v.dy, v.filter));
    const [actual] = await valuesOn('wasm', () => inputGradient(c, v.dy, v.filter));

    expect(actual!.length).toBe(tf.util.sizeFromShape(c.x));
    expect(relativeError(actual!, expected!)).toBeLessThan(TOLERANCE);
  });

  it('conv2d gradients through tf.grad match cpu', async () => {
    const c = CASES[1]!;
    const v = inputsFor(c);
    const gradients = () => {
      const x = tf.tensor4d(v.x, c.x);
      const filter = tf.tensor4d(v.filter, c.filter);
      const loss = (xs: tf.Tensor, w: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(xs as tf.Tensor4D, w as tf.Tensor4D, c.strides, 'same')));
      return tf.grads(loss)([x, filter]);
    };
    const expected = await valuesOn('cpu', gradients);
    const actual = await valuesOn('wasm', gradients);

    expect(relativeError(actual[0]!, expected[0]!)).toBeLessThan(TOLERANCE);
    expect(relativeError(actual[1]!, expected[1]!)).toBeLessThan(TOLERANCE);
  });

  it('NCHW gradients match cpu', async () => {
    const x: Shape4 = [2, 3, 7, 6];
    const filter: Shape4 = [3, 3, 3, 4];
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [0, 0],
      [1, 0],
      [2, 1],
    ];
    const dyShape: Shape4 = [2, 4, 3, 4];
    const xValues = seededValues(tf.util.sizeFromShape(x), 4);
    const dyValues = seededValues(tf.util.sizeFromShape(dyShape), 5);
    const filterValues = seededValues(tf.util.sizeFromShape(filter), 6);
    const attrs = { strides: 2, pad, dataFormat: 'NCHW' };
    const run = () => [
      tf
        .engine()
        .runKernel(
          tf.Conv2DBackpropFilter,
          { x: tf.tensor4d(xValues, x), dy: tf.tensor4d(dyValues, dyShape) },
          { ...attrs, filterShape: filter } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor,
      tf
        .engine()
        .runKernel(
          tf.Conv2DBackpropInput,
          { dy: tf.tensor4d(dyValues, dyShape), filter: tf.tensor4d(filterValues, filter) },
          { ...attrs, inputShape: x } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor,
    ];
    const expected = await valuesOn('cpu', run);
    const actual = await valuesOn('wasm', run);

    expect(relativeError(actual[0]!, expected[0]!)).toBeLessThan(TOLERANCE);
    expect(relativeError(actual[1]!, expected[1]!)).toBeLessThan(TOLERANCE);
  });

  it('wrong dy shape names both shapes', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 7, 7, 3]);
    const dy = tf.zeros([1, 6, 6, 4]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] };

    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(
      /dy has shape \[1,6,6,4\].*forward output of shape \[1,7,7,4\]/,
    );
    tf.dispose([x, dy]);
  });

  it('repeated gradients leak no tensors or buffers', async () => {
    await tf.setBackend('wasm');
    const c = CASES[2]!;
    const v = inputsFor(c);
    const x = tf.tensor4d(v.x, c.x);
    const filter = tf.variable(tf.tensor4d(v.filter, c.filter));
    const step = () => {
      const { grads, value } = tf.variableGrads(() =>
        tf.sum(tf.conv2d(x, filter as tf.Tensor4D, c.strides, c.pad)),
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backendDataIds();

    for (let i = 0; i < 5; i++) {
      step();
    }

    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backendDataIds()).toBe(buffersBefore);
    tf.dispose([x, filter]);
  });

  it.each([
    {
      kernelName: tf.Conv2DBackpropFilter,
      makeInputs: (c: ConvCase, v: ReturnType<typeof inputsFor>): tf.NamedTensorMap => ({
        x: tf.tensor4d(v.x, c.x),
        dy: tf.tensor4d(v.dy, outputShape(c)),
      }),
    },
    {
      kernelName: tf.Conv2DBackpropInput,
      makeInputs: (c: ConvCase, v: ReturnType<typeof inputsFor>): tf.NamedTensorMap => ({
        dy: tf.tensor4d(v.dy, outputShape(c)),
        filter: tf.tensor4d(v.filter, c.filter),
      }),
    },
  ])('$kernelName output outlives its inputs', async ({ kernelName, makeInputs }) => {
    await tf.setBackend('wasm');
    const c = CASES[1]!;
    const buffersAtStart = backendDataIds();
    const inputs = makeInputs(c, inputsFor(c));
    const attrs = {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      filterShape: c.filter,
      inputShape: c.x,
    };
    const output = tf
      .engine()
      .runKernel(kernelName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const valuesBefore = Array.from(output.dataSync());
    tf.dispose(Object.values(inputs));

    expect(output.isDisposed).toBe(false);
    expect(Array.from(output.dataSync())).toEqual(valuesBefore);
    expect(backendDataIds()).toBe(buffersAtStart + 1);
    output.dispose();
    expect(backendDataIds()).toBe(buffersAtStart);
  });
});
