export {
  gatherImages,
  sliceImages,
  takeSubset,
  validateDataset,
  type ImageDataset,
} from './dataset';
export {
  extractFeatures,
  l2NormalizeRows,
  type ExtractFeaturesOptions,
  type FeatureMatrix,
} from './features';
export { knnClassify, type KnnOptions, type KnnResult } from './knn';
export {
  accuracyOf,
  linearProbe,
  type LinearProbeOptions,
  type LinearProbeResult,
} from './linear-probe';
export {
  OPTIMIZER_NAMES,
  createOptimizer,
  setLearningRate,
  type OptimizerName,
  type OptimizerOptions,
} from './optimizer';
export { LarsOptimizer, type LarsOptions } from './lars';
export { createKnnMonitor, type KnnMeasurement, type KnnMonitorOptions } from './knn-monitor';
export {
  pretrainSimclr,
  type EpochSummary,
  type PretrainOptions,
  type PretrainResult,
  type SimclrStepper,
  type StepProgress,
  type TrainingPosition,
} from './pretrain';
export {
  ReplicaGroupAbortedError,
  SharedMemoryReplicaGroup,
  abortReplicaGroup,
  allocateReplicaBuffer,
} from './replica/shared-memory-group';
export {
  LEARNING_RATE_SCALINGS,
  scaleLearningRate,
  warmupCosineLearningRate,
  type LearningRateScaling,
  type WarmupCosineOptions,
} from './schedule';
export { shuffledIndices, type UniformSource } from './shuffle';
export {
  NonFiniteLossError,
  SimclrTrainer,
  type SimclrTrainerOptions,
  type TrainableModule,
} from './simclr-trainer';
export {
  captureTrainingState,
  loadEncoderWeights,
  restoreTrainingState,
  trainingStateMetadata,
} from './training-state';
