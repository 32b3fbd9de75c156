/** Options of {@link warmupCosineLearningRate}. */
export interface WarmupCosineOptions {
  /** Peak learning rate, reached at the end of the warm-up. */
  baseLearningRate: number;
  /** Total number of optimizer steps. */
  totalSteps: number;
  /** Steps of linear warm-up from 0 to the peak. Default 0. */
  warmupSteps?: number;
}

/**
 * Learning rate at `step` (0-based): a linear warm-up, then cosine decay to 0
 * over the remaining steps (Loshchilov and Hutter, 2017, "SGDR", without
 * restarts), the schedule SimCLR uses (Chen et al., 2020, Section 4).
 */
export function warmupCosineLearningRate(step: number, options: WarmupCosineOptions): number {
  const { baseLearningRate, totalSteps } = options;
  const warmupSteps = Math.min(options.warmupSteps ?? 0, totalSteps);
  if (step < warmupSteps) {
    return (baseLearningRate * (step + 1)) / warmupSteps;
  }
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  return 0.5 * baseLearningRate * (1 + Math.cos(Math.PI * progress));
}

/** Rule by which {@link scaleLearningRate} scales a base learning rate with the batch size. */
export type LearningRateScaling = 'none' | 'linear' | 'sqrt';

/** Names of the {@link LearningRateScaling} rules. */
export const LEARNING_RATE_SCALINGS: readonly LearningRateScaling[] = ['none', 'linear', 'sqrt'];

/**
 * Returns the peak learning rate for `batchSize` from a base rate by one of the rules of
 * SimCLR (Chen et al., 2020). 'linear' gives base × batchSize / 256 (Goyal et al., 2017),
 * 'sqrt' gives base × √batchSize, and 'none' returns the base unchanged. SimCLR's default
 * is LARS at 0.3 × batchSize / 256, and it reports square-root scaling from a base of
 * 0.075 as better for small batches and short training.
 *
 * @throws Error if `batchSize` is not a positive integer or the rule is unknown.
 */
export function scaleLearningRate(
  base: number,
  batchSize: number,
  scaling: LearningRateScaling,
): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`Invalid batch size ${batchSize}: expected a positive integer.`);
  }
  switch (scaling) {
    case 'none':
      return base;
    case 'linear':
      return (base * batchSize) / 256;
    case 'sqrt':
      return base * Math.sqrt(batchSize);
    default:
      throw new Error(
        `Unknown learning-rate scaling '${String(scaling)}': expected one of ${LEARNING_RATE_SCALINGS.join(', ')}.`,
      );
  }
}
