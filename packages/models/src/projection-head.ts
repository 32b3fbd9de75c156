import { checkDimensions, MlpHead } from './mlp-head';

/** Configuration of {@link ProjectionHead}. */
export interface ProjectionHeadConfig {
  /** Input features, the encoder's feature length. */
  inputDim: number;
  /** Hidden width. Default: `inputDim`, as SimCLR uses. */
  hiddenDim?: number;
  /** Output (embedding) length. Default 128, as SimCLR uses. */
  outputDim?: number;
  /** Seed of the initialisation. Default 0. */
  seed?: number;
}

/**
 * SimCLR's projection head g(·) (Chen et al., 2020, Section 2.1): Linear,
 * BatchNorm, ReLU, Linear. The first Linear has no bias since BatchNorm
 * follows it. The contrastive loss is computed on its output, and the encoder
 * features before it are what downstream tasks use. Variables are named
 * `0.weight`, `1.weight`, `1.bias`, `1.running_mean`, `1.running_var`,
 * `3.weight` and `3.bias`, as in the equivalent PyTorch `nn.Sequential`.
 */
export class ProjectionHead extends MlpHead {
  constructor(config: ProjectionHeadConfig) {
    const { inputDim, hiddenDim = inputDim, outputDim = 128 } = config;
    checkDimensions('ProjectionHead', { inputDim, hiddenDim, outputDim });
    super(
      'ProjectionHead',
      inputDim,
      [
        { outFeatures: hiddenDim, bias: false, batchNorm: { center: true }, relu: true },
        { outFeatures: outputDim, bias: true, batchNorm: null, relu: false },
      ],
      config.seed ?? 0,
    );
  }
}

/** Configuration of {@link ProjectionHeadV2}. */
export interface ProjectionHeadV2Config {
  /** Input features, the encoder's feature length. */
  inputDim: number;
  /** Width of the hidden layers. Default: `inputDim`, as SimCLR v2 uses. */
  hiddenDim?: number;
  /** Output (embedding) length. Default 128, as SimCLR v2 uses. */
  outputDim?: number;
  /** Number of Linear layers, at least 1. Default 3, SimCLR v2's choice. */
  layers?: number;
  /** Seed of the initialisation. Default 0. */
  seed?: number;
}

/**
 * SimCLR v2's deeper projection head (Chen et al., 2020, "Big Self-Supervised Models are
 * Strong Semi-Supervised Learners", Section 2): `layers` − 1 hidden blocks of Linear,
 * BatchNorm and ReLU, then Linear and BatchNorm. No Linear layer has a bias, and the last
 * BatchNorm learns no shift (`center: false`), as in the authors' TensorFlow code
 * (google-research/simclr, `tf2/model.py`). With the
 * default 3 layers the PyTorch `nn.Sequential` indices are 0, 1 (Linear, BatchNorm),
 * 3, 4 and 6, 7.
 */
export class ProjectionHeadV2 extends MlpHead {
  constructor(config: ProjectionHeadV2Config) {
    const { inputDim, hiddenDim = inputDim, outputDim = 128, layers = 3 } = config;
    checkDimensions('ProjectionHeadV2', { inputDim, hiddenDim, outputDim, layers });
    const hidden = { outFeatures: hiddenDim, bias: false, batchNorm: { center: true }, relu: true };
    super(
      'ProjectionHeadV2',
      inputDim,
      [
        ...Array.from({ length: layers - 1 }, () => hidden),
        { outFeatures: outputDim, bias: false, batchNorm: { center: false }, relu: false },
      ],
      config.seed ?? 0,
    );
  }
}
