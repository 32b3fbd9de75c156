// Allowed differences from the cpu backend, one row per case. Every output x of a case must
// satisfy |x − ref| ≤ atol + rtol·|ref|, as numpy.allclose. The bounds lie at least 4× above
// the errors measured with tfjs 4.22 in Chromium 156, and mostly 10× or more. Those runs used
// wasm with SIMD on one thread and WebGPU on SwiftShader, and the package README lists the
// errors. A GPU whose arithmetic is less exact than SwiftShader's may need wider WebGPU bounds.
import type { Bounds } from './compare';
import type { ComparedBackend } from './types';

/** Bounds of one case on one backend, and why the backend may differ at all. */
export interface Tolerance extends Bounds {
  reason: string;
  /**
   * Set when the backend is known to compute the case wrongly: the bug, with the tfjs
   * version. The test then requires the case to fail these bounds, so a fix shows up.
   */
  expectedFailure?: string;
}

/** Bounds of one case, per compared backend. */
export type CaseTolerance = Readonly<Record<ComparedBackend, Tolerance>>;

/** Returns the same bounds for wasm and WebGPU. */
function both(atol: number, rtol: number, reason: string): CaseTolerance {
  return { wasm: { atol, rtol, reason }, webgpu: { atol, rtol, reason } };
}

const EXACT = 'moves or selects values without arithmetic that rounds, so it must be bit-exact';
const LOSS =
  'float32 sums (row norms, matrix products, log-sum-exp) in another order, and exp and log of ' +
  'logits up to 1 / temperature';

/** Bounds of every case, by case name. The test fails for a case without a row. */
export const TOLERANCES: Readonly<Record<string, CaseTolerance>> = {
  'augment/color-jitter': both(
    1e-5,
    0,
    'HSV round trip for hue and a grayscale mean for contrast, each rounded differently by each kernel',
  ),
  'augment/compose': both(1e-5, 0, 'crop, jitter and blur in sequence, so their rounding adds up'),
  'augment/gaussian-blur': both(
    1e-6,
    0,
    'blur rounding: two 5-tap passes whose weighted sums run in another order',
  ),
  'augment/normalize': both(1e-6, 1e-6, 'one division per value; WGSL allows 2.5 ULP for division'),
  'augment/random-apply': both(
    1e-5,
    0,
    'colour jitter on the images it applies to, as color-jitter',
  ),
  'augment/random-grayscale': both(1e-6, 0, 'weighted sum of three channels in another order'),
  'augment/random-horizontal-flip': both(0, 0, EXACT),
  'augment/random-resized-crop': both(
    1e-5,
    0,
    'bilinear weights computed in float32 from the crop box, with another rounding per kernel',
  ),
  'augment/random-solarize': both(0, 0, `${EXACT}: x or 1 − x, both exactly rounded`),
  'augment/random-vertical-flip': both(0, 0, EXACT),
  'preset/simclr-cifar10': both(
    5e-5,
    0,
    'crop, jitter and grayscale in sequence, so their rounding adds up',
  ),
  'preset/simclr-imagenet': both(
    5e-5,
    0,
    'crop, jitter, grayscale and blur in sequence, so their rounding adds up',
  ),
  'loss/nt-xent': both(1e-6, 1e-5, LOSS),
  'loss/info-nce': both(1e-6, 1e-5, LOSS),
  'loss/sup-con': both(1e-6, 1e-5, LOSS),
  'loss/dcl': both(1e-6, 1e-5, LOSS),
  'loss/dcl-weighted': both(1e-6, 1e-5, LOSS),
  'loss/barlow-twins': both(
    1e-6,
    1e-5,
    'float32 sums of the cross-correlation matrix in another order',
  ),
  'loss/vicreg': both(1e-6, 1e-5, 'float32 sums of variances and covariances in another order'),
  'loss/negative-cosine-similarity': both(1e-6, 1e-5, 'float32 sums of row norms and dot products'),
  'loss/alignment': both(1e-6, 1e-5, 'float32 sums of squared differences'),
  'loss/uniformity': both(1e-6, 1e-5, LOSS),
  'encoder/resnet-cifar-basic': both(
    3e-5,
    1e-4,
    'convolutions sum in another order, and BatchNorm divides by the standard deviation of a ' +
      'small batch, which scales those errors up; gradients sum over the batch and pixels',
  ),
  'encoder/resnet-imagenet-bottleneck': {
    wasm: {
      atol: 3e-5,
      rtol: 1e-4,
      reason:
        'as resnet-cifar-basic, with 7×7 and 1×1 convolutions; max-pooling only selects values',
    },
    webgpu: {
      atol: 3e-5,
      rtol: 1e-4,
      reason:
        "as on wasm; MaxPool2d's gradient avoids the rank-6 pad and large addN of " +
        'tfjs/pad-rank-6 and tfjs/add-n-9-inputs',
    },
  },
  'tfjs/max-pool-grad': {
    wasm: {
      atol: 0,
      rtol: 0,
      reason: EXACT,
      expectedFailure:
        "tfjs-backend-wasm 4.22's MaxPoolGrad starts its running maximum at the smallest " +
        'positive float, so in a window of negative values the gradient goes to its first element',
    },
    webgpu: { atol: 0, rtol: 0, reason: EXACT },
  },
  'tfjs/gather-batch-dims': {
    wasm: {
      atol: 0,
      rtol: 0,
      reason: EXACT,
      expectedFailure:
        "tfjs-backend-wasm 4.22's GatherV2 with batchDims 1 returns the wrong values for " +
        'every image after the first',
    },
    webgpu: { atol: 0, rtol: 0, reason: EXACT },
  },
  'tfjs/add-n-9-inputs': {
    wasm: { atol: 1e-6, rtol: 0, reason: 'float32 sum of 9 values in another order' },
    webgpu: {
      atol: 1e-6,
      rtol: 0,
      reason: 'float32 sum of 9 values in another order',
      expectedFailure:
        "tfjs-backend-webgpu 4.22's AddN binds one storage buffer per input plus the output, " +
        'over the default limit of 8 per shader stage, so the pipeline is invalid and the ' +
        'output buffer keeps stale data',
    },
  },
  'tfjs/pad-rank-6': {
    wasm: { atol: 0, rtol: 0, reason: EXACT },
    webgpu: {
      atol: 0,
      rtol: 0,
      reason: EXACT,
      expectedFailure:
        "tfjs-backend-webgpu 4.22's Pad shader for rank 5 and 6 indexes a vec5 or vec6 " +
        'struct, which is invalid WGSL, so the shader does not compile and the output buffer ' +
        'keeps stale data',
    },
  },
};
