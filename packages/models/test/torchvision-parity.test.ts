import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LinearClassifier,
  createResNetEncoder,
  decodeSafetensorsTensors,
  encodeSafetensors,
  encodeSafetensorsTensors,
  exportTorchWeights,
  importTorchWeights,
  type ResNetEncoder,
  type SafetensorsTensor,
} from '../src/index';

// These tests compare with torchvision itself, through test/torchvision_reference.py.
// They need a python3 that imports torch and torchvision (Debian: apt-get install
// python3-torchvision, which brings python3-torch) and skip with the reason otherwise.
// SIMCLR_PYTHON names the interpreter to use instead of /usr/bin/python3 or python3.
const script = fileURLToPath(new URL('./torchvision_reference.py', import.meta.url));
const python = findPython();
const folder = mkdtempSync(join(tmpdir(), 'simclr-models-torchvision-'));

// The wasm backend runs these full-size forward passes many times faster than cpu.
beforeAll(async () => {
  await tf.setBackend('wasm');
  if ('missing' in python) {
    console.warn(`Skipping the torchvision parity tests: ${python.missing}`);
  }
});

afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

function findPython(): { command: string } | { missing: string } {
  const override = process.env.SIMCLR_PYTHON;
  const candidates = override !== undefined ? [override] : ['/usr/bin/python3', 'python3'];
  let failure = 'no python3 found';
  for (const command of candidates) {
    const result = spawnSync(command, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
    if (result.status === 0) {
      return { command };
    }
    failure = result.error?.message ?? result.stderr.trim().split('\n').pop() ?? 'failed';
  }
  return {
    missing: `torchvision parity needs python3 with torch and torchvision (apt-get install python3-torchvision): ${failure}`,
  };
}

interface Job {
  mode: 'check' | 'export';
  arch: 'resnet18' | 'resnet34' | 'resnet50';
  stem: 'cifar' | 'imagenet';
  num_classes: number | null;
  seed?: number;
  batch?: number;
  size?: number;
}

/** Runs the reference script on `job`; returns the tensors of its output file by name. */
function runReference(name: string, job: Job): Map<string, SafetensorsTensor> {
  if (!('command' in python)) {
    throw new Error(python.missing);
  }
  const paths = {
    weights: join(folder, `${name}.weights.safetensors`),
    input: join(folder, `${name}.input.safetensors`),
    output: join(folder, `${name}.output.safetensors`),
  };
  const jobPath = join(folder, `${name}.json`);
  writeFileSync(jobPath, JSON.stringify({ ...job, ...paths }));
  const result = spawnSync(python.command, [script, jobPath], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`torchvision_reference.py failed: ${result.error?.message ?? result.stderr}`);
  }
  return readTensors(paths.output);
}

function readTensors(path: string): Map<string, SafetensorsTensor> {
  const { tensors } = decodeSafetensorsTensors(readFileSync(path), path);
  return new Map(tensors.map((tensor) => [tensor.name, tensor]));
}

function floats(tensor: SafetensorsTensor | undefined): Float32Array {
  expect(tensor?.dtype).toBe('F32');
  return new Float32Array(tensor!.data.buffer, tensor!.data.byteOffset, tensor!.data.length / 4);
}

function maxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  return worst;
}

/** Gives every BatchNorm non-trivial γ, β and running statistics, deterministically. */
function perturbBatchNorm(encoder: ResNetEncoder): void {
  let seed = 100;
  for (const { name, variable } of encoder.namedVariables()) {
    const [low, high] =
      name.endsWith('running_var') || name.endsWith('.weight') ? [0.5, 1.5] : [-0.1, 0.1];
    if (variable.rank === 1) {
      tf.tidy(() =>
        variable.assign(tf.randomUniform(variable.shape, low, high, 'float32', seed++)),
      );
    }
  }
}

/**
 * Checks `actual` against torchvision's float32 result `key` of `reference`. When `strict`,
 * it must lie within 1e-4 of it. In every case it must lie no further from torchvision's
 * float64 result than max(1e-4, twice torchvision's own float32 error). That second bound
 * exists because deep networks with few values per BatchNorm channel amplify float32
 * rounding beyond any fixed tolerance.
 */
function expectCloseToTorch(
  actual: ArrayLike<number>,
  reference: Map<string, SafetensorsTensor>,
  key: string,
  strict: boolean,
): void {
  const float32 = floats(reference.get(key));
  const float64 = floats(reference.get(key.replace(/^(eval|train|after)/, '$164')));
  if (strict) {
    expect(maxDifference(actual, float32), key).toBeLessThan(1e-4);
  }
  const torchError = maxDifference(float32, float64);
  expect(maxDifference(actual, float64), key).toBeLessThanOrEqual(Math.max(1e-4, 2 * torchError));
}

describe('torchvision parity', () => {
  it.for([
    ['resnet18', 'cifar', [2, 32, 32, 3], true],
    ['resnet50', 'imagenet', [2, 64, 64, 3], false],
  ] as const)(
    'exported %s (%s stem) matches torchvision',
    async ([arch, stem, inputShape, strict], context) => {
      context.skip(!('command' in python), 'missing' in python ? python.missing : '');
      const encoder = createResNetEncoder(arch, { seed: 5, stem });
      perturbBatchNorm(encoder);
      const images = tf.randomUniform([...inputShape], 0, 1, 'float32', 6) as tf.Tensor4D;
      const name = `export-${arch}-${stem}`;
      writeFileSync(
        join(folder, `${name}.weights.safetensors`),
        encodeSafetensorsTensors(await exportTorchWeights(encoder)),
      );
      const values = (await images.data()) as Float32Array;
      writeFileSync(
        join(folder, `${name}.input.safetensors`),
        encodeSafetensors({
          arrays: [{ name: 'input', shape: [...inputShape], values }],
          metadata: {},
        }),
      );

      // Same order as the script: inference first, then one training-mode pass that
      // updates the running statistics.
      const inference = encoder.apply(images, { training: false });
      const training = encoder.apply(images, { training: true });
      const reference = runReference(name, { mode: 'check', arch, stem, num_classes: null });

      expectCloseToTorch(await inference.data(), reference, 'eval', strict);
      expectCloseToTorch(await training.data(), reference, 'train', strict);
      const after = await exportTorchWeights(encoder);
      const statistics = after.filter((tensor) => /running_(mean|var)$/.test(tensor.name));
      expect(statistics.length).toBeGreaterThan(0);
      for (const tensor of statistics) {
        expectCloseToTorch(floats(tensor), reference, `after.${tensor.name}`, strict);
      }
      tf.dispose([images, inference, training]);
      encoder.dispose();
    },
  );

  it('imports a torchvision ResNet-18 with the CIFAR stem', async (context) => {
    context.skip(!('command' in python), 'missing' in python ? python.missing : '');
    const job: Job = {
      mode: 'export',
      arch: 'resnet18',
      stem: 'cifar',
      num_classes: null,
      seed: 11,
      batch: 2,
      size: 32,
    };
    const reference = runReference('import-resnet18-cifar', job);
    const state = readTensors(join(folder, 'import-resnet18-cifar.weights.safetensors'));
    const input = readTensors(join(folder, 'import-resnet18-cifar.input.safetensors')).get(
      'input',
    )!;

    const encoder = createResNetEncoder('resnet18', { seed: 1 });
    importTorchWeights(encoder, [...state.values()]);
    const images = tf.tensor4d(floats(input), input.shape as [number, number, number, number]);
    const features = encoder.apply(images, { training: false });
    expect(maxDifference(await features.data(), floats(reference.get('eval')))).toBeLessThan(1e-4);
    tf.dispose([images, features]);
    encoder.dispose();
  });

  it('imports a torchvision ResNet-18 with its classifier', async (context) => {
    context.skip(!('command' in python), 'missing' in python ? python.missing : '');
    const job: Job = {
      mode: 'export',
      arch: 'resnet18',
      stem: 'imagenet',
      num_classes: 10,
      seed: 12,
      batch: 2,
      size: 64,
    };
    const reference = runReference('import-resnet18-imagenet', job);
    const state = [
      ...readTensors(join(folder, 'import-resnet18-imagenet.weights.safetensors')).values(),
    ];
    const input = readTensors(join(folder, 'import-resnet18-imagenet.input.safetensors')).get(
      'input',
    )!;

    const encoder = createResNetEncoder('resnet18', { stem: 'imagenet' });
    const classifier = new LinearClassifier({ inputDim: encoder.featureDim, numClasses: 10 });
    importTorchWeights(encoder, state, { exclude: ['fc.'] });
    importTorchWeights(classifier, state, { prefix: 'fc.' });
    const images = tf.tensor4d(floats(input), input.shape as [number, number, number, number]);
    const logits = tf.tidy(() => classifier.apply(encoder.apply(images, { training: false })));
    expect(logits.shape).toEqual([2, 10]);
    expect(maxDifference(await logits.data(), floats(reference.get('eval')))).toBeLessThan(1e-4);
    tf.dispose([images, logits]);
    encoder.dispose();
    classifier.dispose();
  });
});
