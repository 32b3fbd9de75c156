export { BasicBlock } from './basic-block';
export { Bottleneck } from './bottleneck';
export { SeedSequence, heNormalFanOut, uniformFanIn } from './init';
export { BatchNorm, FUSED_BATCH_NORM_KERNELS, type BatchNormConfig } from './layers/batch-norm';
export { Conv2d, type Conv2dConfig } from './layers/conv2d';
export { Linear, type LinearConfig } from './layers/linear';
export { MaxPool2d, type MaxPool2dConfig } from './layers/max-pool';
export { LinearClassifier, type LinearClassifierConfig } from './linear-classifier';
export { MlpHead, type MlpLayerSpec } from './mlp-head';
export {
  combineModules,
  countParameters,
  prefixNames,
  trainableVariables,
  type ApplyOptions,
  type Module,
  type NamedVariable,
  type ReplicaGroup,
} from './module';
export { parameterGroups, type ParameterGroups } from './parameter-groups';
export { PredictionHead, type PredictionHeadConfig } from './prediction-head';
export {
  ENCODER_PRESETS,
  resolveResNetConfig,
  type EncoderPreset,
  type ResNetConfig,
  type ResNetOverrides,
  type ResNetStem,
  type ResidualBlockKind,
  type ResolvedResNetConfig,
} from './presets';
export {
  ProjectionHead,
  ProjectionHeadV2,
  type ProjectionHeadConfig,
  type ProjectionHeadV2Config,
} from './projection-head';
export { ResNetEncoder, createResNetEncoder, type ResNetEncoderOptions } from './resnet';
export {
  SAFETENSORS_DTYPE_BYTES,
  decodeSafetensors,
  decodeSafetensorsTensors,
  encodeSafetensors,
  encodeSafetensorsTensors,
  type NamedArray,
  type SafetensorsContents,
  type SafetensorsDtype,
  type SafetensorsTensor,
} from './safetensors';
export {
  ShapeTrace,
  modelSummary,
  type ModelSummary,
  type ModelSummaryOptions,
  type ShapeTraceable,
  type SummaryRow,
} from './summary';
export {
  exportTorchWeights,
  fromTorchLayout,
  importTorchWeights,
  toTorchLayout,
  type ExportTorchWeightsOptions,
  type ImportTorchWeightsOptions,
} from './torch-weights';
export {
  MemoryFolder,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  fetchFolder,
  loadWeightsFromFolder,
  saveWeightsToFolder,
  type FetchFolderOptions,
  type FolderReader,
  type FolderWriter,
  type LoadWeightsOptions,
  type SaveWeightsOptions,
  type WeightLayout,
} from './weight-folder';
export { loadWeights, readWeights } from './weights';
