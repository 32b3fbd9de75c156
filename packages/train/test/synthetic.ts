import type { ImageDataset } from '../src/index';

/**
 * Builds `count` RGB images of `size`×`size` pixels in `classes` classes: each
 * class has its own base colour and stripe direction, and each image a random
 * phase and brightness, so instances differ but classes are easy to tell apart.
 */
export function stripedDataset(
  count: number,
  size: number,
  classes: number,
  seed = 1,
): ImageDataset {
  let state = seed >>> 0;
  const random = () => {
    // Park and Miller's minimal standard generator, enough for test data.
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const images = new Uint8Array(count * size * size * 3);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % classes;
    labels[n] = label;
    const phase = random() * Math.PI * 2;
    const brightness = 0.6 + 0.4 * random();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const along = label % 2 === 0 ? x : y;
        const stripe = 0.5 + 0.5 * Math.sin(along * (1 + label) * 0.8 + phase);
        for (let c = 0; c < 3; c++) {
          const base = c === label % 3 ? 1 : 0.2;
          images[((n * size + y) * size + x) * 3 + c] = Math.round(
            255 * brightness * base * stripe,
          );
        }
      }
    }
  }
  return { images, labels, count, height: size, width: size, channels: 3 };
}
