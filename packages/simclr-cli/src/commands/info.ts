import { cpus } from 'node:os';
import { Command, Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { oneOf } from '../options';
import { initBackend } from '../runtime';
import { BACKEND_NAMES, type CommonOptions } from './common';

/** `simclr info`: versions, the chosen backend, and why the others were not taken. */
export function infoCommand(version: string): Command {
  const command = new Command('info').description(
    'show versions and which tfjs backend is used, and why',
  );
  command.addOption(
    new Option(
      '--backend <name>',
      `tfjs backend to initialise: ${BACKEND_NAMES.join(', ')} (default: the fastest available)`,
    ).argParser(oneOf(BACKEND_NAMES)),
  );
  return command.action(async (flags: CommonOptions) => {
    const report = await initBackend(flags.backend);
    const lines = [
      `simclr ${version}`,
      `node ${process.versions.node} on ${process.platform}-${process.arch}, ${cpus().length} CPU cores`,
      `tfjs-core ${tf.version_core}`,
      `backend: ${report.backend}`,
      ...report.candidates.map((candidate) => `  ${candidate.name}: ${candidate.reason}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
