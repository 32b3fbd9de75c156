export { BasicBlock } from './basic-block';
export { SeedSequence, heNormalFanOut, uniformFanIn } from './init';
export { BatchNorm, FUSED_BATCH_NORM_KERNELS, type BatchNormConfig } from './layers/batch-norm';
export { Conv2d, type Conv2dConfig } from './layers/conv2d';
export { Linear, type LinearConfig } from './layers/linear';
export {
  countParameters,
  prefixNames,
  trainableVariables,
  type ApplyOptions,
  type Module,
  type NamedVariable,
  type ReplicaGroup,
} from './module';
export {
  ENCODER_PRESETS,
  resolveResNetConfig,
  type EncoderPreset,
  type ResNetConfig,
} from './presets';
export { ProjectionHead, type ProjectionHeadConfig } from './projection-head';
export { ResNetEncoder, createResNetEncoder, type ResNetEncoderOptions } from './resnet';
export {
  decodeSafetensors,
  encodeSafetensors,
  type NamedArray,
  type SafetensorsContents,
} from './safetensors';
export { loadWeights, readWeights } from './weights';
