import * as tf from '@tensorflow/tfjs-core';
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
} from '@simclr-ts/contrastive-losses';

import { normalValues } from './inputs';
import type { CaseTensors, ParityCase } from './parity-case';

/** Rows (pairs) and columns of the embeddings. */
const BATCH = 8;
const DIMENSION = 16;

/** Negatives of the InfoNCE case, as from a key queue. */
const NEGATIVES = 12;

/** SupCon labels: three classes, so every anchor has at least one positive besides its pair. */
const LABELS = [0, 1, 2, 0, 1, 2, 0, 1];

type Loss = (...inputs: tf.Tensor2D[]) => tf.Scalar;

/**
 * Returns one case per loss of `@simclr-ts/contrastive-losses` (DCL twice, plain and weighted): the
 * value and its gradient with respect to every embedding input.
 */
export function lossCases(): ParityCase[] {
  const pair = ['z1', 'z2'];
  return [
    lossCase('nt-xent', pair, (z1, z2) => ntXentLoss(z1!, z2!, { temperature: 0.5 })),
    lossCase('info-nce', ['query', 'positive key', 'negatives'], (query, key, negatives) =>
      infoNceLoss(query!, key!, negatives!, { temperature: 0.1 }),
    ),
    lossCase('sup-con', pair, (z1, z2) => {
      const labels = tf.tensor1d(LABELS, 'int32');
      return supConLoss(z1!, z2!, labels, { temperature: 0.1 });
    }),
    lossCase('dcl', pair, (z1, z2) => dclLoss(z1!, z2!, { temperature: 0.1 })),
    lossCase('dcl-weighted', pair, (z1, z2) =>
      dclLoss(z1!, z2!, { temperature: 0.1, weighted: true, sigma: 0.5 }),
    ),
    lossCase('barlow-twins', pair, (z1, z2) => barlowTwinsLoss(z1!, z2!)),
    lossCase('vicreg', pair, (z1, z2) => vicRegLoss(z1!, z2!)),
    lossCase('negative-cosine-similarity', ['p', 'z'], (p, z) => negativeCosineSimilarity(p!, z!)),
    lossCase('alignment', pair, (z1, z2) => alignment(z1!, z2!)),
    lossCase('uniformity', ['z'], (z) => uniformity(z!)),
  ];
}

function lossCase(name: string, inputNames: readonly string[], loss: Loss): ParityCase {
  return {
    name: `loss/${name}`,
    run(digest) {
      digest(inputNames.join(', '));
      const inputs = inputNames.map((inputName, index) => {
        const rows = inputName === 'negatives' ? NEGATIVES : BATCH;
        const seed = 300 + index;
        return tf.tensor2d(normalValues(seed, rows * DIMENSION), [rows, DIMENSION]);
      });

      const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
        loss(...(xs as tf.Tensor2D[])),
      )(inputs);
      const outputs: CaseTensors = { value };
      grads.forEach((grad, index) => {
        outputs[`grad ${inputNames[index]}`] = grad;
      });
      return outputs;
    },
  };
}
