// Plain float64 JavaScript versions of each transform, written from the formulas and
// independent of tfjs, so tests can compare the batched tensor code against them.
import type { SimclrParams } from '../src/index';

export type Rgb = [number, number, number];

/** An image as rows of RGB pixels: `image[y][x] = [r, g, b]`. */
export type ImageRows = Rgb[][];

export const clip01 = (value: number): number => Math.min(1, Math.max(0, value));

export const lumaOf = ([r, g, b]: Rgb): number => 0.299 * r + 0.587 * g + 0.114 * b;

/** RGB to HSV with h in turns [0, 1), following Python's colorsys.rgb_to_hsv. */
export function rgbToHsv([r, g, b]: Rgb): Rgb {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) {
    return [0, 0, max];
  }
  const chroma = max - min;
  const rc = (max - r) / chroma;
  const gc = (max - g) / chroma;
  const bc = (max - b) / chroma;
  let h: number;
  if (r === max) {
    h = bc - gc;
  } else if (g === max) {
    h = 2 + rc - bc;
  } else {
    h = 4 + gc - rc;
  }
  return [(((h / 6) % 1) + 1) % 1, chroma / max, max];
}

/** HSV to RGB by the six-sector formula of Python's colorsys.hsv_to_rgb. */
export function hsvToRgb([h, s, v]: Rgb): Rgb {
  const sector = Math.floor(h * 6) % 6;
  const f = h * 6 - Math.floor(h * 6);
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const table: Rgb[] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return table[sector]!;
}

export function shiftHue(pixel: Rgb, shift: number): Rgb {
  const [h, s, v] = rgbToHsv(pixel);
  const rotated = (((h + shift) % 1) + 1) % 1;
  return hsvToRgb([rotated, s, v]).map(clip01) as Rgb;
}

export function mapPixels(image: ImageRows, f: (pixel: Rgb) => Rgb): ImageRows {
  return image.map((row) => row.map((pixel) => f(pixel)));
}

/** Bilinear sample at a real position inside the image (align-corners coordinates). */
export function sampleBilinear(image: ImageRows, y: number, x: number): Rgb {
  const height = image.length;
  const width = image[0]!.length;
  const y0 = Math.min(Math.floor(y), height - 1);
  const x0 = Math.min(Math.floor(x), width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const x1 = Math.min(x0 + 1, width - 1);
  const dy = y - y0;
  const dx = x - x0;
  const out: Rgb = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const top = image[y0]![x0]![c]! * (1 - dx) + image[y0]![x1]![c]! * dx;
    const bottom = image[y1]![x0]![c]! * (1 - dx) + image[y1]![x1]![c]! * dx;
    out[c] = top * (1 - dy) + bottom * dy;
  }
  return out;
}

/**
 * Crops rows top..top+h-1 and columns left..left+w-1 and resizes to H x W, mapping the first
 * and last crop pixel centres onto the first and last output pixel centres.
 */
export function referenceResizedCrop(
  image: ImageRows,
  crop: { top: number; left: number; height: number; width: number },
  flip: boolean,
): ImageRows {
  const height = image.length;
  const width = image[0]!.length;
  const rows: ImageRows = [];
  for (let i = 0; i < height; i++) {
    const y = height > 1 ? crop.top + (i * (crop.height - 1)) / (height - 1) : crop.top;
    const row: Rgb[] = [];
    for (let j = 0; j < width; j++) {
      const column = flip ? width - 1 - j : j;
      const x = width > 1 ? crop.left + (column * (crop.width - 1)) / (width - 1) : crop.left;
      row.push(sampleBilinear(image, y, x));
    }
    rows.push(row);
  }
  return rows;
}

function meanLuma(image: ImageRows): number {
  let sum = 0;
  let count = 0;
  for (const row of image) {
    for (const pixel of row) {
      sum += lumaOf(pixel);
      count++;
    }
  }
  return sum / count;
}

/** Contrast target of an image: its mean luma (torchvision) or each channel's mean. */
export function contrastTarget(image: ImageRows, mean: 'grayscale' | 'channel'): Rgb {
  if (mean === 'grayscale') {
    const value = meanLuma(image);
    return [value, value, value];
  }
  const sums: Rgb = [0, 0, 0];
  let count = 0;
  for (const row of image) {
    for (const pixel of row) {
      pixel.forEach((value, c) => {
        sums[c] = sums[c]! + value;
      });
      count++;
    }
  }
  return sums.map((sum) => sum / count) as Rgb;
}

/** Applies one colour jitter step to one image by the torchvision formulas, clipped to [0, 1]. */
export function referenceJitterStep(
  image: ImageRows,
  step: 'brightness' | 'contrast' | 'saturation' | 'hue',
  factor: number,
  contrastMean: 'grayscale' | 'channel' = 'grayscale',
): ImageRows {
  switch (step) {
    case 'brightness':
      return mapPixels(image, (pixel) => pixel.map((value) => clip01(value * factor)) as Rgb);
    case 'contrast': {
      const target = contrastTarget(image, contrastMean);
      return mapPixels(
        image,
        (pixel) =>
          pixel.map((value, c) => clip01(factor * value + (1 - factor) * target[c]!)) as Rgb,
      );
    }
    case 'saturation':
      return mapPixels(image, (pixel) => {
        const gray = lumaOf(pixel);
        return pixel.map((value) => clip01(factor * value + (1 - factor) * gray)) as Rgb;
      });
    case 'hue':
      return factor === 0 ? image : mapPixels(image, (pixel) => shiftHue(pixel, factor));
  }
}

/** Applies SimCLR parameters to one image in the documented order. */
export function referenceSimclrView(
  image: ImageRows,
  params: SimclrParams,
  index: number,
): ImageRows {
  let view = referenceResizedCrop(image, params.crops[index]!, params.flips[index]!);

  const order = params.jitterOrder?.[index] ?? ['brightness', 'contrast', 'saturation', 'hue'];
  for (const step of order) {
    view = referenceJitterStep(view, step, params[step][index]!);
  }

  if (params.grayscale[index]) {
    view = mapPixels(view, (pixel) => {
      const gray = lumaOf(pixel);
      return [gray, gray, gray];
    });
  }

  const normalization = params.normalization;
  if (normalization !== null) {
    view = mapPixels(
      view,
      (pixel) =>
        pixel.map((value, c) => (value - normalization.mean[c]!) / normalization.std[c]!) as Rgb,
    );
  }
  return view;
}

/** Converts a flat NHWC array to an array of images. */
export function toImages(values: ArrayLike<number>, shape: readonly number[]): ImageRows[] {
  const [batch, height, width] = shape as [number, number, number, number];
  const images: ImageRows[] = [];
  for (let n = 0; n < batch; n++) {
    const rows: ImageRows = [];
    for (let y = 0; y < height; y++) {
      const row: Rgb[] = [];
      for (let x = 0; x < width; x++) {
        const offset = ((n * height + y) * width + x) * 3;
        row.push([values[offset]!, values[offset + 1]!, values[offset + 2]!]);
      }
      rows.push(row);
    }
    images.push(rows);
  }
  return images;
}

/** Largest absolute difference between two images of the same size. */
export function maxAbsDifference(a: ImageRows, b: ImageRows): number {
  let worst = 0;
  a.forEach((row, y) =>
    row.forEach((pixel, x) =>
      pixel.forEach((value, c) => {
        worst = Math.max(worst, Math.abs(value - b[y]![x]![c]!));
      }),
    ),
  );
  return worst;
}
