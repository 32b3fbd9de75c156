/** Shape of a CIFAR-style ResNet encoder. */
export interface ResNetConfig {
  /** Output channels of the 3×3 stem convolution. */
  stemWidth: number;
  /** Output channels of each stage; every stage after the first halves the resolution. */
  widths: number[];
  /** Number of basic blocks in each stage, one entry per stage. */
  blocks: number[];
}

/**
 * Encoder presets.
 * - `resnet18`: ResNet-18 (He et al., 2016) with the CIFAR stem that SimCLR
 *   uses for CIFAR-10 (Chen et al., 2020, Appendix B.9): a 3×3 stride-1 stem
 *   and no max-pool; 512 features.
 * - `small`: a narrow ResNet-10 with one basic block in each of four stages
 *   of 16, 32, 64 and 128 channels (307,536 parameters, 128 features). It is
 *   sized so that SimCLR pretraining on CIFAR-10 shows a clear gain within
 *   minutes on a CPU with the wasm backend.
 */
export const ENCODER_PRESETS = {
  resnet18: { stemWidth: 64, widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2] },
  small: { stemWidth: 16, widths: [16, 32, 64, 128], blocks: [1, 1, 1, 1] },
} as const satisfies Record<string, ResNetConfig>;

/** Name of an encoder preset. */
export type EncoderPreset = keyof typeof ENCODER_PRESETS;

/** Resolves a preset name or an explicit configuration, validating it. */
export function resolveResNetConfig(config: EncoderPreset | ResNetConfig): ResNetConfig {
  if (typeof config === 'string') {
    const preset = (ENCODER_PRESETS as Record<string, ResNetConfig>)[config];
    if (preset === undefined) {
      const names = Object.keys(ENCODER_PRESETS).join(', ');
      throw new Error(`Unknown encoder preset '${config}': expected one of ${names}.`);
    }
    return { stemWidth: preset.stemWidth, widths: [...preset.widths], blocks: [...preset.blocks] };
  }
  const { stemWidth, widths, blocks } = config;
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
  return { stemWidth, widths: [...widths], blocks: [...blocks] };
}
