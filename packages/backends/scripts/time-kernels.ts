/**
 * Times the wasm convolution gradients on the layer shapes of a CIFAR ResNet at batch 64:
 * wasm's own Conv2DBackpropInput against the composed one, the composed
 * Conv2DBackpropFilter, and the forward Conv2D for scale. Prints a Markdown table of
 * medians in milliseconds.
 *
 * Run from packages/backends (vite-node inlines tfjs so that one tfjs-core serves all):
 *
 *   npx vite-node --options.deps.inline=@tensorflow/tfjs-core \
 *     --options.deps.inline=@tensorflow/tfjs-backend-wasm scripts/time-kernels.ts [runs]
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerWasmTrainingKernels } from '../src/register-wasm-kernels';

type Shape4 = [number, number, number, number];

interface Layer {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: number;
}

const LAYERS: Layer[] = [
  { name: '3x3 s1 64->64, 32x32', x: [64, 32, 32, 64], filter: [3, 3, 64, 64], strides: 1 },
  {
    name: '3x3 s2 64->128, 32x32->16x16',
    x: [64, 32, 32, 64],
    filter: [3, 3, 64, 128],
    strides: 2,
  },
  {
    name: '1x1 s2 64->128, 32x32->16x16',
    x: [64, 32, 32, 64],
    filter: [1, 1, 64, 128],
    strides: 2,
  },
  { name: '3x3 s1 128->128, 16x16', x: [64, 16, 16, 128], filter: [3, 3, 128, 128], strides: 1 },
];

const runs = Number(process.argv[2] ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `kernel` once to warm up, then `runs` times, and returns the median in ms. */
function time(run: () => tf.Tensor): number {
  tf.dispose(run());
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const output = run();
    output.dataSync();
    samples.push(performance.now() - start);
    output.dispose();
  }
  return median(samples);
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasmDist = join(
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  setWasmPaths(`${wasmDist}/`);
  await tf.setBackend('wasm');

  const rows: string[] = [];
  for (const layer of LAYERS) {
    const info = tf.backend_util.computeConv2DInfo(layer.x, layer.filter, layer.strides, 1, 'same');
    const dyShape: Shape4 = [layer.x[0], info.outHeight, info.outWidth, layer.filter[3]];
    const x = tf.randomUniform(layer.x, -1, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomUniform(layer.filter, -1, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomUniform(dyShape, -1, 1, 'float32', 3) as tf.Tensor4D;
    const common = { strides: layer.strides, pad: 'same', dataFormat: 'NHWC' };
    const inputGradient = () =>
      tf
        .engine()
        .runKernel(
          tf.Conv2DBackpropInput,
          { dy, filter },
          { ...common, inputShape: layer.x },
        ) as tf.Tensor;

    registerWasmTrainingKernels({ replaceConv2DBackpropInput: false });
    const originalInput = time(inputGradient);
    registerWasmTrainingKernels({ replaceConv2DBackpropInput: true });
    const composedInput = time(inputGradient);
    const composedFilter = time(
      () =>
        tf.engine().runKernel(
          tf.Conv2DBackpropFilter,
          { x, dy },
          {
            ...common,
            filterShape: layer.filter,
          },
        ) as tf.Tensor,
    );
    const forward = time(() => tf.conv2d(x, filter, layer.strides, 'same'));

    rows.push(
      `| ${layer.name} | ${forward.toFixed(0)} | ${originalInput.toFixed(0)} | ` +
        `${composedInput.toFixed(0)} | ${composedFilter.toFixed(0)} |`,
    );
    tf.dispose([x, filter, dy]);
  }

  console.log(`wasm backend, batch 64, median of ${runs} runs after one warm-up, ms`);
  console.log(
    '| layer | Conv2D | BackpropInput (wasm) | BackpropInput (composed) | BackpropFilter (composed) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(row);
  }
}

await main();
