import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CifarDataset } from '@simclr-ts/cifar';
import type { ResNetEncoder, SafetensorsContents } from '@simclr-ts/models';
import {
  NonFiniteLossError,
  captureTrainingState,
  createKnnMonitor,
  pretrainSimclr,
  restoreTrainingState,
  scaleLearningRate,
  takeSubset,
  type EpochSummary,
  type SimclrStepper,
  type TrainingPosition,
} from '@simclr-ts/train';
import { formatDuration, formatPercent } from './format';
import { createPretrainTrainer } from './pretrain-model';
import { createProgress } from './progress';
import type { PretrainConfig } from './presets';
import { WorkerPoolTrainer } from './replica/worker-pool-trainer';
import { RUN_FILES, appendMetrics, writeCheckpoint, writeFileAtomic } from './run-files';
import { EventWriter } from './tensorboard/event-writer';
import { UsageError } from './usage-error';

/** Result of {@link runPretraining}. */
export interface PretrainRunResult {
  runDir: string;
  encoder: ResNetEncoder;
  epochs: EpochSummary[];
  seconds: number;
  imagesPerSecond: number;
  /** Why training ended before its last epoch: Ctrl-C ('interrupt') or `maxSteps`. */
  stoppedBy?: 'interrupt' | 'max-steps';
}

/** Execution settings of {@link runPretraining}, which unlike the configuration do not change the result. */
export interface PretrainExecution {
  /** Data-parallel worker threads; 1 trains on the calling thread. */
  workers: number;
  /** tfjs backend in use, which the workers initialise too. */
  backend: string;
  /** Stops after this many steps of this call and writes a checkpoint. Default: no limit. */
  maxSteps?: number;
  /** A checkpoint of this run folder to continue from, read by the caller. */
  resume?: SafetensorsContents;
}

/** Returns a fresh run folder name under `runs/`, from the current time. */
export function defaultRunDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', stamp);
}

/**
 * Pretrains an encoder with SimCLR on the training split. Into `runDir` it writes the
 * configuration, a checkpoint after every epoch, metrics as JSON lines (one per step,
 * epoch and kNN measurement) and TensorBoard event files. Ctrl-C or `maxSteps` stops after
 * the current step and writes a checkpoint from which `resume` continues exactly; the
 * result's `stoppedBy` records which of the two stopped it.
 */
export async function runPretraining(
  config: PretrainConfig,
  dataset: CifarDataset,
  runDirOption: string,
  execution: PretrainExecution = { workers: 1, backend: 'wasm' },
): Promise<PretrainRunResult> {
  const runDir = resolve(runDirOption);
  if (execution.resume === undefined && existsSync(join(runDir, RUN_FILES.checkpoint))) {
    throw new UsageError(
      `The run folder ${runDir} already contains a checkpoint: continue it with --resume ${runDirOption}, pass another --out, or delete the folder to start over.`,
    );
  }
  const available =
    config.subset > 0 ? Math.min(config.subset, dataset.train.count) : dataset.train.count;
  if (config.batchSize > available) {
    throw new UsageError(
      `Invalid --batch-size ${config.batchSize}: it exceeds the ${available} training images; lower it or raise --subset.`,
    );
  }
  mkdirSync(runDir, { recursive: true });
  if (execution.resume === undefined) {
    writeFileAtomic(join(runDir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
  }
  if (config.subset > dataset.train.count) {
    process.stderr.write(
      `notice: the subset of ${config.subset} images is larger than the training split; using all ${dataset.train.count}\n`,
    );
  }

  const subset = Math.min(config.subset, dataset.train.count);
  const train = subset > 0 ? takeSubset(dataset.train, subset) : dataset.train;
  const peakLearningRate = scaleLearningRate(
    config.learningRate,
    config.batchSize,
    config.learningRateScaling,
  );
  const { trainer, encoder, head } = createPretrainTrainer({
    ...config,
    learningRate: peakLearningRate,
  });
  let resumeFrom: TrainingPosition | undefined;
  if (execution.resume !== undefined) {
    await restoreTrainingState(trainer, execution.resume);
    resumeFrom = readPosition(execution.resume);
    if (resumeFrom !== undefined && resumeFrom.epoch >= config.epochs) {
      throw new UsageError(
        `The run in ${runDir} already finished its ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}; there is nothing to resume. Start a new run with --out.`,
      );
    }
  }
  if (config.warmupEpochs > config.epochs) {
    process.stderr.write(
      `notice: the warm-up of ${config.warmupEpochs} epochs is longer than the ${config.epochs}-epoch run, so the learning rate never reaches its peak\n`,
    );
  }
  const workers = Math.min(execution.workers, config.batchSize);
  process.stderr.write(
    `pretraining ${config.encoder} (${encoder.parameterCount().toLocaleString('en')} parameters) on ${train.count} images for ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}, batch ${config.batchSize}, ${config.optimizer} at peak rate ${peakLearningRate}, ${workers} worker${workers === 1 ? '' : 's'}; run folder ${runDir}\n`,
  );
  if (resumeFrom !== undefined) {
    process.stderr.write(
      `resuming at epoch ${resumeFrom.epoch + 1}, step ${resumeFrom.step} (after ${trainer.stepCount} step${trainer.stepCount === 1 ? '' : 's'})\n`,
    );
  }

  const pool =
    workers > 1
      ? await WorkerPoolTrainer.start(trainer, {
          workers,
          config: { ...config, learningRate: peakLearningRate },
          embeddingDim: head.outputDim,
          backend: execution.backend,
        })
      : undefined;
  const stepper: SimclrStepper = pool ?? trainer;
  const monitor =
    config.knnEvery > 0
      ? createKnnMonitor(encoder, {
          bank: train as typeof train & { labels: Uint8Array },
          queries: dataset.test,
          every: config.knnEvery,
          numClasses: 10,
        })
      : undefined;
  const events = new EventWriter(runDir);

  const controller = new AbortController();
  // Set from the step callback, so a property: TypeScript would narrow a plain variable.
  const stop: { by: 'interrupt' | 'max-steps' } = { by: 'interrupt' };
  const onInterrupt = () => {
    process.stderr.write('\ninterrupt: finishing the current step, then writing a checkpoint\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  const progress = createProgress('pretrain', 'img');
  const started = performance.now();
  let position = resumeFrom;
  let stepsThisRun = 0;
  let result;
  try {
    result = await pretrainSimclr(stepper, train, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: peakLearningRate,
      warmupEpochs: config.warmupEpochs,
      resumeFrom,
      signal: controller.signal,
      onStep: (step) => {
        position = {
          epoch: step.epoch,
          step: step.step,
          epochShuffleState: step.epochShuffleState,
          epochLossSum: step.epochLossSum,
          epochSeconds: step.epochSeconds,
        };
        stepsThisRun += 1;
        appendMetrics(runDir, {
          event: 'step',
          step: step.globalStep,
          epoch: step.epoch + 1,
          loss: step.loss,
          learningRate: step.learningRate,
        });
        events.scalar('train/loss', step.loss, step.globalStep);
        events.scalar('train/learning_rate', step.learningRate, step.globalStep);
        progress.update({
          done: step.globalStep,
          total: step.totalSteps,
          detail: `epoch ${step.epoch + 1}/${config.epochs} loss ${step.loss.toFixed(4)}`,
          rate: step.imagesPerSecond,
          etaSeconds: step.etaSeconds,
        });
        if (execution.maxSteps !== undefined && stepsThisRun >= execution.maxSteps) {
          stop.by = 'max-steps';
          controller.abort();
        }
      },
      onEpochEnd: async (summary) => {
        await pool?.pull();
        const epoch = summary.epoch + 1;
        position = { epoch, step: 0, epochShuffleState: trainer.shuffleRng.getState() };
        writeCheckpoint(runDir, await captureState(trainer, config, position));
        appendMetrics(runDir, { event: 'epoch', ...summary, epoch, step: trainer.stepCount });
        events.scalar('train/epoch_loss', summary.meanLoss, trainer.stepCount);
        const knn = await monitor?.(epoch, config.epochs);
        if (knn !== undefined) {
          appendMetrics(runDir, { event: 'knn', ...knn, step: trainer.stepCount });
          events.scalar('knn/accuracy', knn.accuracy, trainer.stepCount);
          process.stderr.write(`\nepoch ${epoch}: kNN accuracy ${formatPercent(knn.accuracy)}\n`);
        }
        events.flush();
      },
    });
  } catch (error) {
    progress.stop();
    if (error instanceof NonFiniteLossError) {
      appendMetrics(runDir, { event: 'error', step: error.step, loss: String(error.loss) });
      throw new Error(`${error.message} The last good checkpoint is in ${runDir}.`);
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    events.close();
    if (pool !== undefined) {
      await pool.pull().catch(() => undefined);
      await pool.close();
    }
  }
  progress.stop();

  const seconds = (performance.now() - started) / 1000;
  const imagesPerSecond = seconds > 0 ? (stepsThisRun * config.batchSize) / seconds : 0;
  if (result.aborted && position !== undefined) {
    writeCheckpoint(runDir, await captureState(trainer, config, position));
    const stopReason =
      stop.by === 'max-steps' ? `stopped after --max-steps ${execution.maxSteps}` : 'interrupted';
    // WebGPU is never chosen automatically, so a resume must ask for it again.
    const backendOption = execution.backend === 'webgpu' ? ' --backend webgpu' : '';
    process.stderr.write(
      `${stopReason}; checkpoint written to ${join(runDir, RUN_FILES.checkpoint)}\n` +
        `continue with: simclr pretrain --resume ${runDirOption}${backendOption} (and the same --data)\n`,
    );
  }
  head.dispose();
  trainer.optimizer.dispose();
  process.stderr.write(`pretraining took ${formatDuration(seconds)}\n`);
  return {
    runDir,
    encoder,
    epochs: result.epochs,
    seconds,
    imagesPerSecond,
    stoppedBy: result.aborted ? stop.by : undefined,
  };
}

/** Captures the trainer's state with the configuration and the position to resume from. */
async function captureState(
  trainer: Parameters<typeof captureTrainingState>[0],
  config: PretrainConfig,
  position: TrainingPosition,
): Promise<SafetensorsContents> {
  return captureTrainingState(trainer, {
    epoch: String(position.epoch),
    position: JSON.stringify(position),
    config: JSON.stringify(config),
  });
}

/** Reads the position a checkpoint was written at; older checkpoints hold only the epoch. */
function readPosition(state: SafetensorsContents): TrainingPosition | undefined {
  const { position, epoch } = state.metadata;
  if (position !== undefined) {
    return JSON.parse(position) as TrainingPosition;
  }
  if (epoch !== undefined && state.metadata.shuffleRng !== undefined) {
    return {
      epoch: Number(epoch),
      step: 0,
      epochShuffleState: JSON.parse(state.metadata.shuffleRng),
    };
  }
  return undefined;
}
