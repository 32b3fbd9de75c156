import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelBackend,
  KernelFunc,
  TensorInfo,
  UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import { runComposite } from './run-composite';

// Bounds the float32 membership matrix of one block of segments to 64 MiB.
const DEFAULT_MAX_BLOCK_ELEMENTS = 1 << 24;

/**
 * Sums the rows of `x` that share a segment id, as matrix products with a 0/1
 * membership matrix, so it runs on any backend with `Equal`, `Cast` and `BatchMatMul`:
 *
 *   out[s, ...] = Σ_{i : segmentIds[i] = s} x[i, ...]
 *
 * Ids outside `[0, numSegments)` are dropped, as in TensorFlow's `UnsortedSegmentSum`
 * and the tfjs cpu backend. The work is numSegments · size(segmentIds) · (inner size)
 * multiply-adds, so it suits the gradient of `gather` on small tables. Segments are
 * processed in blocks that keep each membership matrix within `maxBlockElements`.
 *
 * @param x `[...idsShape, ...inner]`, float32 or int32. int32 values are summed in
 *   float32, so they are exact only while every partial sum stays below 2^24.
 * @param segmentIds int32 tensor whose shape is a prefix of `x`'s shape.
 * @param numSegments Number of output rows, an integer ≥ 0.
 * @param maxBlockElements Largest membership matrix (segments × ids) built at once.
 *   Default 2^24 elements (64 MiB of float32).
 * @returns `[numSegments, ...inner]` with the dtype of `x`.
 * @throws Error if the shape of `segmentIds` is not a prefix of the shape of `x`, or
 *   `numSegments` is not an integer ≥ 0.
 */
export function unsortedSegmentSum(
  x: tf.Tensor,
  segmentIds: tf.Tensor,
  numSegments: number,
  maxBlockElements = DEFAULT_MAX_BLOCK_ELEMENTS,
): tf.Tensor {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(
      `UnsortedSegmentSum: numSegments must be an integer ≥ 0, but got ${numSegments}.`,
    );
  }
  const idsShape = segmentIds.shape;
  if (!tf.util.arraysEqual(x.shape.slice(0, idsShape.length), idsShape)) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape [${idsShape}] must be a prefix of x shape [${x.shape}].`,
    );
  }
  const innerShape = x.shape.slice(idsShape.length);
  const outShape = [numSegments, ...innerShape];
  const numIds = segmentIds.size;
  const innerSize = tf.util.sizeFromShape(innerShape);
  if (numIds === 0 || numSegments === 0 || innerSize === 0) {
    return tf.zeros(outShape, x.dtype);
  }

  const rows = tf.cast(tf.reshape(x, [numIds, innerSize]), 'float32');
  const ids = tf.reshape(tf.cast(segmentIds, 'int32'), [1, numIds]);
  const blockSize = Math.max(1, Math.floor(maxBlockElements / numIds));
  const blocks: tf.Tensor2D[] = [];
  for (let start = 0; start < numSegments; start += blockSize) {
    const end = Math.min(numSegments, start + blockSize);
    const segments = tf.reshape(tf.range(start, end, 1, 'int32'), [end - start, 1]);
    const membership = tf.cast(tf.equal(segments, ids), 'float32');
    blocks.push(tf.matMul(membership, rows));
  }

  const sums = blocks.length === 1 ? blocks[0]! : tf.concat(blocks, 0);
  return tf.cast(tf.reshape(sums, outShape), x.dtype);
}

/**
 * Kernel function for `UnsortedSegmentSum` built on {@link unsortedSegmentSum}.
 * Inputs `x` and `segmentIds`; attribute `numSegments`.
 */
export const unsortedSegmentSumKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs;
  if (x === undefined || segmentIds === undefined) {
    throw new Error('UnsortedSegmentSum: inputs x and segmentIds are required.');
  }
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;

  return runComposite(
    backend as KernelBackend,
    [x, segmentIds] as TensorInfo[],
    (xTensor, idsTensor) => unsortedSegmentSum(xTensor, idsTensor, numSegments),
  );
};
