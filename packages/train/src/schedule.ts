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
