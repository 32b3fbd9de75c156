// One conformance case per registered op. conformance.test.ts fails for a registered name
// without an entry here, so a new op can't skip the shared checks.
import {
  ColorJitter,
  GaussianBlur,
  RandomGrayscale,
  RandomHorizontalFlip,
  RandomResizedCrop,
  RandomSolarize,
} from '../src/index';
import type { ConformanceCase } from './conformance';

export const CONFORMANCE_CASES: Readonly<Record<string, ConformanceCase>> = {
  'random-resized-crop': {
    options: { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] },
    // The test images are 16×12, so the full box has ratio 12 / 16.
    identityOptions: { scale: [1, 1], ratio: [0.75, 0.75] },
    keepsRange: true,
    random: true,
  },
  'random-horizontal-flip': {
    options: { p: 0.5 },
    identityOptions: { p: 0 },
    keepsRange: true,
    random: true,
  },
  'random-vertical-flip': {
    options: { p: 0.5 },
    identityOptions: { p: 0 },
    keepsRange: true,
    random: true,
  },
  'color-jitter': {
    options: { brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2 },
    identityOptions: { brightness: 0, contrast: 0, saturation: 0, hue: 0 },
    keepsRange: true,
    random: true,
  },
  'random-grayscale': {
    options: { p: 0.5 },
    identityOptions: { p: 0 },
    keepsRange: true,
    random: true,
  },
  'gaussian-blur': {
    options: { sigma: [0.1, 2.0], kernelSize: 5 },
    identityOptions: { kernelSize: 1 },
    keepsRange: true,
    random: true,
  },
  'random-solarize': {
    options: { threshold: 0.5, p: 0.5 },
    identityOptions: { threshold: 0.5, p: 0 },
    keepsRange: true,
    random: true,
  },
  normalize: {
    options: { mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] },
    identityOptions: { mean: [0, 0, 0], std: [1, 1, 1] },
    keepsRange: false,
    random: false,
  },
  'random-apply': {
    options: { transform: new ColorJitter({ brightness: 0.5, hue: 0.3 }), p: 0.5 },
    identityOptions: { transform: new ColorJitter({ brightness: 0.5, hue: 0.3 }), p: 0 },
    keepsRange: true,
    random: true,
  },
  compose: {
    options: {
      transforms: [
        new RandomResizedCrop(),
        new RandomHorizontalFlip(),
        new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
        new RandomGrayscale({ p: 0.2 }),
        new GaussianBlur({ kernelSize: 3 }),
        new RandomSolarize({ p: 0.2 }),
      ],
    },
    identityOptions: {
      transforms: [new RandomHorizontalFlip({ p: 0 }), new RandomGrayscale({ p: 0 })],
    },
    keepsRange: true,
    random: true,
  },
};
