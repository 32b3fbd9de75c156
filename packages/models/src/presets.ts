/**
 * Residual block of a ResNet stage.
 * - `basic`: two 3×3 convolutions; a stage of width w outputs w channels (ResNet-18, 34).
 * - `bottleneck`: 1×1, 3×3 and 1×1 convolutions; a stage of width w outputs 4·w channels
 *   (ResNet-50 and deeper).
 */
export type ResidualBlockKind = 'basic' | 'bottleneck';

/**
 * Stem of a ResNet, the layers before the first stage.
 * - `cifar`: a 3×3 stride-1 convolution and no max-pool, for 32×32 images, as SimCLR
 *   uses on CIFAR-10 (Chen et al., 2020, Appendix B.9). The feature maps of the first stage
 *   keep the input resolution.
 * - `imagenet`: a 7×7 stride-2 convolution and a 3×3 stride-2 max-pool with padding 1
 *   (He et al., 2016), which divide the resolution by 4.
 */
export type ResNetStem = 'cifar' | 'imagenet';

/** Shape of a ResNet encoder. */
export interface ResNetConfig {
  /** Output channels of the stem convolution, before the width multiplier. */
  stemWidth: number;
  /**
   * Width of each stage, before the width multiplier: the output channels of a basic
   * block, or the inner channels of a bottleneck block (which outputs 4 times as many).
   * Every stage after the first halves the resolution.
   */
  widths: readonly number[];
  /** Number of residual blocks in each stage, one entry per stage. */
  blocks: readonly number[];
  /** Residual block of every stage. Default `basic`. */
  block?: ResidualBlockKind;
  /** Layers before the first stage. Default `cifar`. */
  stem?: ResNetStem;
  /**
   * Factor on `stemWidth` and every stage width, rounded to the nearest integer, as in
   * SimCLR's ResNet-50 (2×) and (4×) (Chen et al., 2020). It is not torchvision's
   * `wide_resnet50_2`, which widens only the inner convolutions of bottleneck blocks.
   * Default 1.
   */
  widthMultiplier?: number;
}

/**
 * A validated {@link ResNetConfig} with every default filled in and the width multiplier
 * applied: `stemWidth` and `widths` are the channel counts the encoder builds. Passing it
 * to {@link resolveResNetConfig} again returns an equal configuration.
 */
export interface ResolvedResNetConfig extends ResNetConfig {
  stemWidth: number;
  widths: number[];
  blocks: number[];
  block: ResidualBlockKind;
  stem: ResNetStem;
}

/** Options that replace the `stem` and `widthMultiplier` of a preset or configuration. */
export interface ResNetOverrides {
  /** Replaces the configuration's stem. */
  stem?: ResNetStem;
  /** Replaces the configuration's width multiplier. */
  widthMultiplier?: number;
}

/**
 * Encoder presets, all with the CIFAR stem; pass `stem: 'imagenet'` for the
 * architectures of He et al. (2016) and torchvision.
 * - `resnet18`: ResNet-18 (He et al., 2016) with the CIFAR stem that SimCLR
 *   uses for CIFAR-10 (Chen et al., 2020, Appendix B.9): a 3×3 stride-1 stem
 *   and no max-pool; 512 features.
 * - `small`: a narrow ResNet-10 with one basic block in each of four stages
 *   of 16, 32, 64 and 128 channels (307,536 parameters, 128 features). It is
 *   sized so that SimCLR pretraining on CIFAR-10 shows a clear gain within
 *   minutes on a CPU with the wasm backend.
 * - `resnet34`: ResNet-34, basic blocks 3, 4, 6, 3; 512 features.
 * - `resnet50`: ResNet-50, bottleneck blocks 3, 4, 6, 3 with the stride on the 3×3
 *   convolution (torchvision's "ResNet v1.5"); 2,048 features.
 */
export const ENCODER_PRESETS = {
  resnet18: { stemWidth: 64, widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2] },
  small: { stemWidth: 16, widths: [16, 32, 64, 128], blocks: [1, 1, 1, 1] },
  resnet34: { stemWidth: 64, widths: [64, 128, 256, 512], blocks: [3, 4, 6, 3] },
  resnet50: {
    stemWidth: 64,
    widths: [64, 128, 256, 512],
    blocks: [3, 4, 6, 3],
    block: 'bottleneck',
  },
} as const satisfies Record<string, ResNetConfig>;

/** Name of an encoder preset. */
export type EncoderPreset = keyof typeof ENCODER_PRESETS;

/** Output channels of a block of each kind, per unit of stage width. */
export const BLOCK_EXPANSION: Record<ResidualBlockKind, number> = { basic: 1, bottleneck: 4 };

const BLOCK_KINDS: readonly ResidualBlockKind[] = ['basic', 'bottleneck'];
const STEMS: readonly ResNetStem[] = ['cifar', 'imagenet'];

/**
 * Resolves a preset name or an explicit configuration, with `overrides` replacing its stem
 * and width multiplier, and validates it.
 */
export function resolveResNetConfig(
  config: EncoderPreset | ResNetConfig,
  overrides: ResNetOverrides = {},
): ResolvedResNetConfig {
  const base = typeof config === 'string' ? presetConfig(config) : config;
  const { stemWidth, widths, blocks } = base;
  const block = base.block ?? 'basic';
  const stem = overrides.stem ?? base.stem ?? 'cifar';
  const widthMultiplier = overrides.widthMultiplier ?? base.widthMultiplier ?? 1;

  if (widths.length === 0 || widths.length !== blocks.length) {
    throw new Error(
      `Invalid ResNet configuration: widths (${widths.length} entries) and blocks (${blocks.length} entries) must be non-empty and of equal length.`,
    );
  }
  for (const value of [stemWidth, ...widths, ...blocks]) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `Invalid ResNet configuration value ${value}: widths and block counts must be positive integers.`,
      );
    }
  }
  if (!BLOCK_KINDS.includes(block)) {
    throw new Error(`Invalid ResNet block '${block}': expected one of ${BLOCK_KINDS.join(', ')}.`);
  }
  if (!STEMS.includes(stem)) {
    throw new Error(`Invalid ResNet stem '${stem}': expected one of ${STEMS.join(', ')}.`);
  }
  if (!(Number.isFinite(widthMultiplier) && widthMultiplier > 0)) {
    throw new Error(
      `Invalid ResNet width multiplier ${widthMultiplier}: expected a positive number.`,
    );
  }

  const scale = (width: number): number => {
    const scaled = Math.round(width * widthMultiplier);
    if (scaled < 1) {
      throw new Error(
        `Invalid ResNet width multiplier ${widthMultiplier}: it scales width ${width} to 0 channels.`,
      );
    }
    return scaled;
  };
  return {
    stemWidth: scale(stemWidth),
    widths: widths.map(scale),
    blocks: [...blocks],
    block,
    stem,
  };
}

function presetConfig(name: string): ResNetConfig {
  const preset = (ENCODER_PRESETS as Record<string, ResNetConfig>)[name];
  if (preset === undefined) {
    const names = Object.keys(ENCODER_PRESETS).join(', ');
    throw new Error(`Unknown encoder preset '${name}': expected one of ${names}.`);
  }
  return preset;
}
