import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CifarDataset } from '@simclr-ts/cifar';
import type { ResNetEncoder } from '@simclr-ts/models';
import {
  NonFiniteLossError,
  captureTrainingState,
  pretrainSimclr,
  takeSubset,
  type EpochSummary,
  type SimclrStepper,
} from '@simclr-ts/train';
import { createPretrainTrainer } from './pretrain-model';
import { WorkerPoolTrainer } from './replica/worker-pool-trainer';
import { formatDuration } from './format';
import { createProgress } from './progress';
import type { PretrainConfig } from './presets';
import { RUN_FILES, appendMetrics, writeCheckpoint, writeFileAtomic } from './run-files';
import { UsageError } from './usage-error';

/** Result of {@link runPretraining}. */
export interface PretrainRunResult {
  runDir: string;
  encoder: ResNetEncoder;
  epochs: EpochSummary[];
  seconds: number;
  imagesPerSecond: number;
  aborted: boolean;
}

/** How {@link runPretraining} runs; unlike the configuration, it does not change the result. */
export interface PretrainExecution {
  /** Data-parallel worker threads; 1 trains on the calling thread. */
  workers: number;
  /** tfjs backend in use, which the workers initialise too. */
  backend: string;
}

/** Returns a fresh run folder name under `runs/`, from the current time. */
export function defaultRunDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', stamp);
}

/**
 * Pretrains an encoder with SimCLR on the training split, writing the
 * configuration, a checkpoint after every epoch and one metrics line per
 * epoch into `runDir`. Ctrl-C stops after the current step and writes a
 * checkpoint first.
 */
export async function runPretraining(
  config: PretrainConfig,
  dataset: CifarDataset,
  runDirOption: string,
  execution: PretrainExecution = { workers: 1, backend: 'wasm' },
): Promise<PretrainRunResult> {
  const runDir = resolve(runDirOption);
  if (existsSync(join(runDir, RUN_FILES.checkpoint))) {
    throw new UsageError(
      `The run folder ${runDir} already contains a checkpoint: pass another --out, or delete the folder to start over.`,
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
  writeFileAtomic(join(runDir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);

  if (config.subset > dataset.train.count) {
    process.stderr.write(
      `notice: the subset of ${config.subset} images is larger than the training split; using all ${dataset.train.count}\n`,
    );
  }
  const subset = Math.min(config.subset, dataset.train.count);
  const train = subset > 0 ? takeSubset(dataset.train, subset) : dataset.train;
  const { trainer, encoder, head } = createPretrainTrainer(config);
  const workers = Math.min(execution.workers, config.batchSize);
  process.stderr.write(
    `pretraining ${config.encoder} (${encoder.parameterCount().toLocaleString('en')} parameters) on ${train.count} images for ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}, batch ${config.batchSize}, ${workers} worker${workers === 1 ? '' : 's'}; run folder ${runDir}\n`,
  );
  const pool =
    workers > 1
      ? await WorkerPoolTrainer.start(trainer, {
          workers,
          config,
          embeddingDim: head.outputDim,
          backend: execution.backend,
        })
      : undefined;
  const stepper: SimclrStepper = pool ?? trainer;

  const controller = new AbortController();
  const onInterrupt = () => {
    process.stderr.write('\ninterrupt: finishing the current step, then writing a checkpoint\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  const progress = createProgress('pretrain', 'img');
  const started = performance.now();
  let result;
  try {
    result = await pretrainSimclr(stepper, train, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      warmupEpochs: config.warmupEpochs,
      signal: controller.signal,
      onStep: (step) =>
        progress.update({
          done: step.globalStep,
          total: step.totalSteps,
          detail: `epoch ${step.epoch + 1}/${config.epochs} loss ${step.loss.toFixed(4)}`,
          rate: step.imagesPerSecond,
          etaSeconds: step.etaSeconds,
        }),
      onEpochEnd: async (summary) => {
        await pool?.pull();
        const state = await captureTrainingState(trainer, {
          epoch: String(summary.epoch + 1),
          config: JSON.stringify(config),
        });
        writeCheckpoint(runDir, state);
        appendMetrics(runDir, { event: 'epoch', ...summary });
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
    if (pool !== undefined) {
      await pool.pull().catch(() => undefined);
      await pool.close();
    }
  }
  progress.stop();

  const seconds = (performance.now() - started) / 1000;
  const imagesTrained =
    result.epochs.length * Math.floor(train.count / config.batchSize) * config.batchSize;
  if (result.aborted) {
    const state = await captureTrainingState(trainer, {
      epoch: String(result.epochs.length),
      partial: 'true',
      config: JSON.stringify(config),
    });
    writeCheckpoint(runDir, state);
    process.stderr.write(`stopped; checkpoint written to ${join(runDir, RUN_FILES.checkpoint)}\n`);
  }
  head.dispose();
  trainer.optimizer.dispose();
  process.stderr.write(`pretraining took ${formatDuration(seconds)}\n`);
  return {
    runDir,
    encoder,
    epochs: result.epochs,
    seconds,
    imagesPerSecond: seconds > 0 ? imagesTrained / seconds : 0,
    aborted: result.aborted,
  };
}
