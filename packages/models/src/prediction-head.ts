import { checkDimensions, MlpHead } from './mlp-head';

/** Configuration of {@link PredictionHead}. */
export interface PredictionHeadConfig {
  /** Input features, the projection head's output length. */
  inputDim: number;
  /**
   * Hidden width. BYOL uses 4,096 (for 256 inputs); SimSiam uses a bottleneck of
   * a quarter of its input, 512 for 2,048.
   */
  hiddenDim: number;
  /** Output length. Default: `inputDim`, since the prediction is compared with a projection. */
  outputDim?: number;
  /** Seed of the initialisation. Default 0. */
  seed?: number;
}

/**
 * The predictor q(·) of BYOL (Grill et al., 2020, Section 3.3) and h(·) of SimSiam (Chen
 * and He, 2021, Section 4.1): Linear, BatchNorm, ReLU, Linear. It maps the online
 * network's projection to a prediction of the other view's projection. The first Linear
 * has no bias since BatchNorm follows it. Variables are named as in the equivalent PyTorch
 * `nn.Sequential`: `0.weight`, `1.*`, `3.weight`, `3.bias`.
 */
export class PredictionHead extends MlpHead {
  constructor(config: PredictionHeadConfig) {
    const { inputDim, hiddenDim, outputDim = inputDim } = config;
    checkDimensions('PredictionHead', { inputDim, hiddenDim, outputDim });
    super(
      'PredictionHead',
      inputDim,
      [
        { outFeatures: hiddenDim, bias: false, batchNorm: { center: true }, relu: true },
        { outFeatures: outputDim, bias: true, batchNorm: null, relu: false },
      ],
      config.seed ?? 0,
    );
  }
}
