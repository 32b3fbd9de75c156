// Runs every loss and metric, with its gradient, on the cpu and wasm backends. The
// wasm backend of tfjs 4.22 lacks some kernels (UnsortedSegmentSum, the gradient of
// gather, among them), so a gradient that runs on cpu may fail there.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alignment,
  barlowTwinsLoss,
  dclLoss,
  infoNceLoss,
  negativeCosineSimilarity,
  ntXentLoss,
  supConLoss,
  uniformity,
  vicRegLoss,
} from '../src/index';
import { SeededNormal, naiveNtXent } from './float64-reference';
import {
  allFinite,
  evaluate,
  expectGradientsClose,
  expectNoLeaks,
  asGradientFunction,
  maxAbsoluteDifference,
  maxAbsoluteValue,
  numericalGradients,
  perturbed,
  withRowNorms,
  type LossOfMatrices,
  type ValueAndGradients,
} from './harness';
import { naiveBarlowTwins } from './reference/barlow-twins';
import { naiveDcl } from './reference/dcl';
import { naiveInfoNce } from './reference/info-nce';
import { naiveNegativeCosine } from './reference/negative-cosine';
import { naiveSupCon } from './reference/sup-con';
import type { Matrix } from './reference/vectors';
import { naiveVicReg } from './reference/vicreg';
import { naiveAlignment, naiveUniformity } from './reference/wang-isola';

interface Spec {
  name: string;
  loss: LossOfMatrices;
  reference: (inputs: Matrix[]) => number;
  /** Indices of inputs whose gradient is zero by design (a stop-gradient). */
  detached?: number[];
  /** Draws the inputs of `loss` for the given batch shape. */
  inputs: (random: SeededNormal, shape: InputShape) => Matrix[];
}

interface InputShape {
  n: number;
  d: number;
  /** Rescales each row to a norm in [0.5, 1.5] × this value. */
  norm?: number;
  /** Makes the second view a copy of the first. */
  identical?: boolean;
}

const LABELS = [0, 1, 0, 2, 1, 0, 3, 3];
const VICREG_WEIGHTS = { similarity: 25, variance: 25, covariance: 1 };

/** Draws two views `[n, d]`. The second is the first plus noise, or a copy of it. */
function twoViews(random: SeededNormal, { n, d, norm, identical }: InputShape): Matrix[] {
  const rescale = (m: Matrix) => (norm ? withRowNorms(m, norm, () => random.uniform()) : m);
  const z1 = rescale(random.matrix(n, d));
  const z2 = identical
    ? z1.map((row) => [...row])
    : rescale(perturbed(z1, 0.5, () => random.normal()));
  return [z1, z2];
}

function specs(temperature: number): Spec[] {
  return [
    {
      name: 'ntXentLoss',
      loss: (a, b) => ntXentLoss(a!, b!, { temperature }),
      reference: ([a, b]) => naiveNtXent(a!, b!, temperature),
      inputs: twoViews,
    },
    {
      name: 'infoNceLoss',
      loss: (q, k, n) => infoNceLoss(q!, k!, n!, { temperature }),
      reference: ([q, k, n]) => naiveInfoNce(q!, k!, n!, temperature),
      inputs: (random, shape) => [
        ...twoViews(random, shape),
        ...twoViews(random, { ...shape, n: shape.n + 3, identical: false }).slice(0, 1),
      ],
    },
    {
      name: 'supConLoss',
      loss: (a, b) =>
        supConLoss(a!, b!, tf.tensor1d(LABELS.slice(0, a!.shape[0]), 'int32'), { temperature }),
      reference: ([a, b]) => naiveSupCon(a!, b!, LABELS.slice(0, a!.length), temperature),
      inputs: twoViews,
    },
    {
      name: 'dclLoss',
      loss: (a, b) => dclLoss(a!, b!, { temperature }),
      reference: ([a, b]) => naiveDcl(a!, b!, temperature),
      inputs: twoViews,
    },
    {
      name: 'dclLoss (weighted)',
      loss: (a, b) => dclLoss(a!, b!, { temperature, weighted: true }),
      reference: ([a, b]) => naiveDcl(a!, b!, temperature, 0.5),
      inputs: twoViews,
    },
    {
      name: 'barlowTwinsLoss',
      loss: (a, b) => barlowTwinsLoss(a!, b!),
      reference: ([a, b]) => naiveBarlowTwins(a!, b!, 5e-3),
      inputs: (random, shape) => twoViews(random, shape).map((z) => z.map((row) => [...row, 0.75])),
    },
    {
      name: 'vicRegLoss',
      loss: (a, b) => vicRegLoss(a!, b!),
      reference: ([a, b]) => naiveVicReg(a!, b!, VICREG_WEIGHTS),
      // Scale 0.3 keeps every standard deviation below the hinge at 1, away from its kink.
      inputs: (random, shape) =>
        twoViews(random, shape).map((z) =>
          z.map((row) => [...row.map((v) => Math.fround(v * (shape.norm ? 1 : 0.3))), -2]),
        ),
    },
    {
      name: 'negativeCosineSimilarity',
      loss: (p, z) => negativeCosineSimilarity(p!, z!),
      reference: ([p, z]) => naiveNegativeCosine(p!, z!),
      detached: [1],
      inputs: twoViews,
    },
    {
      name: 'alignment',
      loss: (a, b) => alignment(a!, b!, { alpha: 1.5 }),
      reference: ([a, b]) => naiveAlignment(a!, b!, 1.5),
      inputs: twoViews,
    },
    {
      name: 'uniformity',
      loss: (z) => uniformity(z!),
      reference: ([z]) => naiveUniformity(z!, 2),
      inputs: (random, shape) => twoViews(random, shape).slice(0, 1),
    },
  ];
}

async function computeOn(
  backend: string,
  loss: LossOfMatrices,
  inputs: Matrix[],
): Promise<ValueAndGradients> {
  await tf.setBackend(backend);
  return evaluate(loss, inputs);
}

function expectAgreement(onWasm: ValueAndGradients, onCpu: ValueAndGradients, relative: number) {
  expect(Math.abs(onWasm.value - onCpu.value)).toBeLessThan(
    relative * Math.max(1, Math.abs(onCpu.value)),
  );
  expect(maxAbsoluteDifference(onWasm.gradients, onCpu.gradients)).toBeLessThanOrEqual(
    relative * Math.max(1e-3, maxAbsoluteValue(onCpu.gradients)),
  );
}

describe.each(specs(0.2).map((spec, index) => ({ ...spec, index })))(
  '$name on cpu and wasm',
  ({ index }) => {
    beforeAll(async () => {
      await tf.setBackend('wasm');
    });

    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it.each([
      { n: 2, d: 3 },
      { n: 8, d: 16 },
    ])('agree within 1e-5 (N=$n, D=$d)', async (shape) => {
      const { loss, inputs } = specs(0.2)[index]!;
      const values = inputs(new SeededNormal(31 * shape.n + shape.d), shape);

      const onCpu = await computeOn('cpu', loss, values);
      const onWasm = await computeOn('wasm', loss, values);

      expectAgreement(onWasm, onCpu, 1e-5);
    });

    it.each([
      { label: 'identical views', temperature: 0.2, shape: { n: 4, d: 5, identical: true } },
      { label: 'norms near 1e3 at τ 0.01', temperature: 0.01, shape: { n: 8, d: 16, norm: 1e3 } },
    ])('agree and stay finite for $label', async ({ temperature, shape }) => {
      const { loss, inputs } = specs(temperature)[index]!;
      const values = inputs(new SeededNormal(77), shape);

      const onCpu = await computeOn('cpu', loss, values);
      const onWasm = await computeOn('wasm', loss, values);

      expect(Number.isFinite(onWasm.value)).toBe(true);
      expect(allFinite(onWasm.gradients)).toBe(true);
      expectAgreement(onWasm, onCpu, 1e-4);
    });

    it('gradient on wasm matches central differences', async () => {
      const { loss, inputs, reference, detached = [] } = specs(0.2)[index]!;
      const values = inputs(new SeededNormal(8), { n: 6, d: 5 });
      const expected = numericalGradients(reference, values).map((gradient, i) =>
        detached.includes(i) ? gradient.map((row) => row.map(() => 0)) : gradient,
      );

      const onWasm = await computeOn('wasm', loss, values);

      expect(tf.getBackend()).toBe('wasm');
      expect(Math.abs(onWasm.value - reference(values))).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(onWasm.value)),
      );
      expectGradientsClose(onWasm.gradients, expected, 1e-5);
    });

    it('leaks no tensors on wasm', async () => {
      await tf.setBackend('wasm');
      const { loss, inputs } = specs(0.2)[index]!;
      const tensors = inputs(new SeededNormal(9), { n: 4, d: 3 }).map((m) => tf.tensor2d(m));

      expectNoLeaks(() => {
        tf.tidy(() => loss(...tensors)).dispose();
        tf.dispose(tf.grads(asGradientFunction(loss))(tensors));
      });
      tf.dispose(tensors);
    });
  },
);
