import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { createResNetEncoder } from '@simclr-ts/models';
import { loadEncoderWeights } from '@simclr-ts/train';
import { TRAINING_PREVIEW, renderAugmentationPreview } from '../augmentation-preview';
import { validateConfigFields } from '../config-file';
import { loadData } from '../data';
import { evaluateEncoder, type EvaluationResult } from '../evaluate';
import { CIFAR10_CPU, type PretrainConfig } from '../presets';
import { encodePng } from '../preview-grid';
import { renderReport, type MetricsRecord } from '../report/report-page';
import { RUN_FILES, readCheckpoint, writeFileAtomic } from '../run-files';
import { initBackend } from '../runtime';
import { UsageError } from '../usage-error';
import { addCommonOptions, addEvalOptions, type CommonOptions, type EvalFlags } from './common';

interface ReportFlags extends CommonOptions, EvalFlags {
  out?: string;
}

/** File in the run folder where the report keeps its evaluation, reused by later reports. */
const EVALUATION_FILE = 'evaluation.json';

/** `simclr report`: an HTML page of a run's curves, preview and linear-probe results. */
export function reportCommand(): Command {
  const command = new Command('report')
    .description(
      'write an HTML report of a pretraining run: loss, learning rate and kNN plots, an augmentation preview, and the linear probe with its confusion matrix',
    )
    .argument('<run-dir>', "run folder written by 'simclr pretrain' or 'simclr quickstart'")
    .addOption(new Option('--out <file>', 'HTML file to write (default: RUN_DIR/report.html)'));
  addCommonOptions(command);
  addEvalOptions(command);
  return command.action(async (runDirArgument: string, flags: ReportFlags) => {
    const runDir = resolve(runDirArgument);
    const config = readRunConfig(runDir);
    const metrics = readMetrics(runDir);
    await initBackend(flags.backend);
    const dataset = await loadData(flags);

    // The evaluation is slow, so an earlier report's result is reused while the checkpoint
    // and the evaluation options are unchanged.
    const evaluationPath = join(runDir, EVALUATION_FILE);
    const state = readCheckpoint(runDir);
    const stamp = JSON.stringify({
      checkpoint: `${state.metadata.step ?? ''}/${state.metadata.position ?? state.metadata.epoch ?? ''}`,
      trainImages: flags.trainImages,
      testImages: flags.testImages,
      k: flags.k,
      probe: [flags.probeEpochs, flags.probeLr, flags.probeWeightDecay, flags.probeBatchSize],
    });
    let evaluation: EvaluationResult | undefined;
    if (existsSync(evaluationPath)) {
      const saved = JSON.parse(readFileSync(evaluationPath, 'utf8')) as EvaluationResult & {
        checkpoint?: string;
      };
      evaluation = saved.checkpoint === stamp ? saved : undefined;
    }
    if (evaluation === undefined) {
      const encoder = createResNetEncoder(config.encoder);
      loadEncoderWeights(encoder, state);
      evaluation = await evaluateEncoder(encoder, dataset, { ...flags, label: 'report' });
      encoder.dispose();
      writeFileAtomic(
        evaluationPath,
        `${JSON.stringify({ ...evaluation, checkpoint: stamp }, null, 2)}\n`,
      );
    }

    const preview = renderAugmentationPreview(dataset.test, {
      preset: TRAINING_PREVIEW,
      images: 6,
      views: 6,
      seed: config.seed,
      scale: 3,
      colorStrength: config.colorStrength,
    });
    const html = renderReport({
      runDir,
      config,
      metrics,
      evaluation,
      classNames: dataset.classNames,
      previewPng: encodePng(preview.image).toString('base64'),
    });
    const out = resolve(flags.out ?? join(runDir, 'report.html'));
    writeFileAtomic(out, html);
    process.stdout.write(`wrote ${out}\n`);
  });
}

function readRunConfig(runDir: string): PretrainConfig {
  const path = join(runDir, RUN_FILES.config);
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `Cannot read ${path}: ${(error as Error).message}. Pass a run folder written by 'simclr pretrain' or 'simclr quickstart'.`,
    );
  }
  const config = { ...CIFAR10_CPU, ...fields } as PretrainConfig;
  validateConfigFields(config as unknown as Record<string, unknown>, path);
  return config;
}

function readMetrics(runDir: string): MetricsRecord[] {
  const path = join(runDir, RUN_FILES.metrics);
  if (!existsSync(path)) {
    return [];
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MetricsRecord);
}
