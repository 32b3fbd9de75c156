import { cpus } from 'node:os';
import { Command, Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { oneOf } from '../options';
import { packageVersions, type PackageVersion } from '../package-versions';
import { initBackend } from '../runtime';
import { BACKEND_NAMES, type CommonOptions } from './common';

interface InfoFlags extends CommonOptions {
  json?: boolean;
}

/**
 * `simclr info`: versions, the chosen backend and its device, and why each other
 * backend was not taken. WebGPU through Dawn is always probed here, so the report
 * explains it, but it is chosen only with `--backend webgpu`, as in the other commands.
 */
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
  command.addOption(new Option('--json', 'print the report as one JSON object'));
  return command.action(async (flags: InfoFlags) => {
    const report = await initBackend(flags.backend, { probeDawn: true });
    const packages = packageVersions();
    if (flags.json === true) {
      const result = {
        simclr: version,
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
        cpuCores: cpus().length,
        tfjsCore: tf.version_core,
        backend: report.backend,
        device: report.device,
        candidates: report.candidates,
        packages,
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }

    const lines = [
      `simclr ${version}`,
      `node ${process.versions.node} on ${process.platform}-${process.arch}, ${cpus().length} CPU cores`,
      `tfjs-core ${tf.version_core}`,
      `backend: ${report.backend}`,
      `device: ${report.device || 'not described'}`,
      ...report.candidates.map((candidate) => `  ${candidate.name}: ${candidate.reason}`),
      'packages:',
      ...packages.map((entry) => `  ${formatPackage(entry)}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

function formatPackage({ name, version, bundled }: PackageVersion): string {
  if (version === null) {
    return `${name}: not installed`;
  }
  return `${name} ${version}${bundled ? ' (bundled)' : ''}`;
}
