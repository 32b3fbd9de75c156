import * as tf from '@tensorflow/tfjs-core';

/** Some images of a batch, by index, and the transform they get. */
export interface ImageGroup {
  /** Indices into the batch, each in at most one group. */
  readonly indices: readonly number[];
  /** Transforms the gathered images `[indices.length, H, W, C]` without changing their shape. */
  readonly transform: (images: tf.Tensor4D) => tf.Tensor4D;
}

/**
 * Applies each group's transform to its images and passes the images of no group through
 * unchanged, keeping the batch order. Each transform runs once on the images of its group,
 * gathered into one tensor, so the work is that of one pass over the batch plus the copies
 * of `tf.gather` and `tf.concat`. A group that covers the whole batch skips the copies.
 * On wasm those copies are slow (see {@link selectPerImage}), so this serves rare cases only.
 *
 * Inputs are not checked: indices must be distinct integers in [0, N).
 */
export function applyToGroups(images: tf.Tensor4D, groups: readonly ImageGroup[]): tf.Tensor4D {
  const batchSize = images.shape[0];
  const active = groups.filter((group) => group.indices.length > 0);
  if (active.length === 0) {
    return tf.clone(images);
  }
  if (active.length === 1 && active[0]!.indices.length === batchSize) {
    const only = active[0]!;
    const inOrder = only.indices.every((index, position) => index === position);
    if (inOrder) {
      return tf.tidy(() => {
        const output = only.transform(images);
        // tidy keeps a returned input alive, and a caller that disposes the output would free it.
        return output === images ? tf.clone(images) : output;
      });
    }
  }

  return tf.tidy(() => {
    const grouped = new Set(active.flatMap((group) => group.indices));
    const untouched = Array.from({ length: batchSize }, (_, i) => i).filter((i) => !grouped.has(i));
    const parts = active.map((group) =>
      group.transform(tf.gather(images, Int32Array.from(group.indices))),
    );
    if (untouched.length > 0) {
      parts.push(tf.gather(images, Int32Array.from(untouched)));
    }

    // Row `position` of the concatenation contains image `source`. Invert that to restore the order.
    const sources = [...active.flatMap((group) => group.indices), ...untouched];
    const positions = new Int32Array(batchSize);
    sources.forEach((source, position) => {
      positions[source] = position;
    });
    return tf.gather(tf.concat(parts), positions);
  });
}

/**
 * Returns image i of `whenTrue` where `flags[i]` is true and of `whenFalse` elsewhere, as
 * `m · whenTrue + (1 - m) · whenFalse` with a 0/1 mask `m` `[N, 1, 1, 1]`. For finite values
 * the products by 0 and 1 and the sum with 0 are exact, so each image is copied bit for bit.
 *
 * On the wasm backend (tfjs 4.22) this blend of a 256×32×32×3 batch took about 3 ms, and one
 * `tf.gather` of the same batch about 24 ms. So ops that skip some images compute all of them
 * and blend, rather than gathering the images they change.
 */
export function selectPerImage(
  flags: readonly boolean[],
  whenTrue: tf.Tensor4D,
  whenFalse: tf.Tensor4D,
): tf.Tensor4D {
  if (flags.every((flag) => flag)) {
    return tf.clone(whenTrue);
  }
  if (!flags.some((flag) => flag)) {
    return tf.clone(whenFalse);
  }
  return tf.tidy(() => {
    const mask = tf.tensor4d(
      flags.map((flag) => (flag ? 1 : 0)),
      [flags.length, 1, 1, 1],
    );
    return tf.add(tf.mul(whenTrue, mask), tf.mul(whenFalse, tf.sub(1, mask)));
  });
}
