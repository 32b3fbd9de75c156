import * as tf from '@tensorflow/tfjs-core';
import { createRng, simclrAugment, type Rng } from '@simclr-ts/augment';
import { gatherImages } from '@simclr-ts/train';
import { CIFAR10_CLASSES, type LabelledImages } from './sample-format';
import { VIEW_OPTIONS } from './training-run';

/** Images shown, one of each class as far as the data has them. */
const COLUMNS = 6;
/** Pixels of one enlarged 32×32 image. */
const TILE = 80;
const GAP = 6;
const LABEL_WIDTH = 64;
const ROWS = ['image', 'view 1', 'view 2'];

/**
 * A canvas that shows a few training images and two SimCLR views of each, drawn
 * with the same pipeline as training (without the final normalisation) from a
 * generator of its own, so showing views does not change the training run.
 */
export class ViewsGrid {
  private readonly originals: tf.Tensor4D;
  private readonly rng: Rng;
  private readonly tile: HTMLCanvasElement;
  private readonly names: string[];
  /** Number of times new views were drawn. */
  refreshes = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    data: LabelledImages,
    seed: number,
  ) {
    const indices = pickOnePerClass(data.labels, COLUMNS);
    this.names = indices.map((index) => CIFAR10_CLASSES[data.labels[index]!] ?? '?');
    this.originals = gatherImages(data, indices);
    this.rng = createRng(seed + 7);
    this.tile = document.createElement('canvas');
    this.tile.width = data.width;
    this.tile.height = data.height;
    canvas.width = LABEL_WIDTH + indices.length * (TILE + GAP);
    canvas.height = 18 + ROWS.length * (TILE + GAP);
  }

  /** Draws the images and two fresh views of each. */
  async refresh(): Promise<void> {
    const [first, second] = tf.tidy(() => {
      const options = { ...VIEW_OPTIONS, normalize: false };
      return [
        simclrAugment(this.originals, this.rng, options),
        simclrAugment(this.originals, this.rng, options),
      ];
    });
    const rows: Float32Array[] = [];
    for (const batch of [this.originals, first, second]) {
      rows.push((await batch.data()) as Float32Array);
    }
    tf.dispose([first, second]);

    const context = this.canvas.getContext('2d')!;
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    context.imageSmoothingEnabled = false;
    context.fillStyle = '#444';
    context.font = '12px system-ui, sans-serif';
    this.names.forEach((name, column) => {
      context.fillText(name, LABEL_WIDTH + column * (TILE + GAP), 12);
    });
    rows.forEach((values, row) => {
      const top = 18 + row * (TILE + GAP);
      context.fillStyle = '#444';
      context.fillText(ROWS[row]!, 0, top + TILE / 2 + 4);
      for (let column = 0; column < this.names.length; column++) {
        this.drawImage(values, column);
        context.drawImage(this.tile, LABEL_WIDTH + column * (TILE + GAP), top, TILE, TILE);
      }
    });
    this.refreshes += 1;
  }

  /** Frees the images on the backend. */
  dispose(): void {
    this.originals.dispose();
  }

  /** Copies image `index` of an NHWC float batch in [0, 1] onto the 32×32 tile canvas. */
  private drawImage(values: Float32Array, index: number): void {
    const { width, height } = this.tile;
    const pixels = new ImageData(width, height);
    const offset = index * width * height * 3;
    for (let pixel = 0; pixel < width * height; pixel++) {
      for (let channel = 0; channel < 3; channel++) {
        pixels.data[pixel * 4 + channel] = Math.round(values[offset + pixel * 3 + channel]! * 255);
      }
      pixels.data[pixel * 4 + 3] = 255;
    }
    this.tile.getContext('2d')!.putImageData(pixels, 0, 0);
  }
}

/** Returns indices of the first image of each class in label order, up to `count`, then any others. */
function pickOnePerClass(labels: Uint8Array, count: number): number[] {
  const picked: number[] = [];
  for (let label = 0; label < 10 && picked.length < count; label++) {
    const index = labels.indexOf(label);
    if (index >= 0) {
      picked.push(index);
    }
  }
  for (
    let index = 0;
    index < labels.length && picked.length < Math.min(count, labels.length);
    index++
  ) {
    if (!picked.includes(index)) {
      picked.push(index);
    }
  }
  return picked;
}
