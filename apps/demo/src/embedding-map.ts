import type { FeatureMatrix } from '@simclr-ts/train';
import { pca2d } from './pca';
import { CIFAR10_CLASSES } from './sample-format';

/** Colours of the ten classes, in label order (the Tableau 10 palette). */
export const CLASS_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const PADDING = 16;

/**
 * Draws encoder features as a scatter plot of their first two principal components,
 * one dot per image coloured by class, and fills `legend` with the class colours.
 *
 * @returns the share of the variance that the two components explain.
 */
export function drawEmbeddingMap(
  canvas: HTMLCanvasElement,
  legend: HTMLElement,
  features: FeatureMatrix,
  labels: Uint8Array,
): [number, number] {
  const { points, explained } = pca2d(features.values, features.count, features.dim);

  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < features.count; i++) {
    xMin = Math.min(xMin, points[2 * i]!);
    xMax = Math.max(xMax, points[2 * i]!);
    yMin = Math.min(yMin, points[2 * i + 1]!);
    yMax = Math.max(yMax, points[2 * i + 1]!);
  }
  // One scale for both axes, so distances on the map are distances in the projection.
  const span = Math.max(xMax - xMin, yMax - yMin, 1e-9);
  const size = Math.min(canvas.width, canvas.height) - 2 * PADDING;
  const toX = (value: number) => PADDING + ((value - xMin) / span) * size;
  const toY = (value: number) => canvas.height - PADDING - ((value - yMin) / span) * size;

  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.globalAlpha = 0.75;
  for (let i = 0; i < features.count; i++) {
    context.fillStyle = CLASS_COLOURS[labels[i]!] ?? '#000';
    context.beginPath();
    context.arc(toX(points[2 * i]!), toY(points[2 * i + 1]!), 2.5, 0, 2 * Math.PI);
    context.fill();
  }
  context.globalAlpha = 1;

  legend.replaceChildren(
    ...CIFAR10_CLASSES.map((name, label) => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = CLASS_COLOURS[label]!;
      item.append(swatch, name);
      return item;
    }),
  );
  return explained;
}
