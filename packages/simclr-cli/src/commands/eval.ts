import { Command, Option } from 'commander';
import { ENCODER_PRESETS, createResNetEncoder, type EncoderPreset } from '@simclr-ts/models';
import { loadEncoderWeights } from '@simclr-ts/train';
import { loadData } from '../data';
import { evaluateEncoder } from '../evaluate';
import { formatPercent } from '../format';
import { oneOf } from '../options';
import type { PretrainConfig } from '../presets';
import { readCheckpoint } from '../run-files';
import { initBackend } from '../runtime';
import { addCommonOptions, addEvalOptions, type CommonOptions, type EvalFlags } from './common';

interface EvalCommandFlags extends CommonOptions, EvalFlags {
  untrained?: EncoderPreset;
}

/** `simclr eval`: linear-probe and kNN accuracy of a pretrained or untrained encoder. */
export function evalCommand(): Command {
  const command = new Command('eval')
    .description('report the linear-probe and kNN test accuracy of an encoder')
    .argument('[checkpoint]', "run folder of 'simclr pretrain' or its checkpoint.safetensors")
    .addOption(
      new Option(
        '--untrained <encoder>',
        `evaluate a freshly initialised encoder instead of a checkpoint: ${Object.keys(ENCODER_PRESETS).join(', ')}`,
      ).argParser(oneOf(Object.keys(ENCODER_PRESETS) as EncoderPreset[])),
    );
  addCommonOptions(command);
  addEvalOptions(command);
  return command.action(async (checkpoint: string | undefined, flags: EvalCommandFlags) => {
    if ((checkpoint === undefined) === (flags.untrained === undefined)) {
      command.error(
        'error: pass either a checkpoint or --untrained <encoder>, not both or neither',
        { exitCode: 2 },
      );
    }
    await initBackend(flags.backend);

    let encoder;
    if (checkpoint !== undefined) {
      const state = readCheckpoint(checkpoint);
      const config = JSON.parse(state.metadata.config ?? '{}') as Partial<PretrainConfig>;
      if (config.encoder === undefined) {
        throw new Error(
          `The checkpoint ${checkpoint} has no encoder configuration in its metadata.`,
        );
      }
      encoder = createResNetEncoder(config.encoder);
      loadEncoderWeights(encoder, state);
    } else {
      encoder = createResNetEncoder(flags.untrained!);
    }

    const dataset = await loadData(flags);
    const result = await evaluateEncoder(encoder, dataset, {
      ...flags,
      label: checkpoint ?? 'untrained',
    });
    encoder.dispose();
    process.stdout.write(
      `linear probe top-1: ${formatPercent(result.linearProbe)}\nkNN (k=${Math.min(flags.k, result.trainImages)}) top-1: ${formatPercent(result.knn)}\n` +
        `(${result.trainImages} training and ${result.testImages} test images)\n`,
    );
  });
}
