// Installs the packed package into a fresh project, next to tfjs-core and the cpu
// backend from the npm registry, and uses it the way a consumer would: through
// `import`, `require` and the TypeScript declarations. It needs registry access (or
// those two packages in the local npm cache) and takes about 10 to 60 seconds.
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as publicApi from '../src/index';
import { SeededNormal, naiveNtXent } from './float64-reference';
import { naiveBarlowTwins } from './reference/barlow-twins';
import { naiveDcl } from './reference/dcl';
import { naiveInfoNce } from './reference/info-nce';
import { naiveNegativeCosine } from './reference/negative-cosine';
import { naiveSupCon } from './reference/sup-con';
import { naiveVicReg } from './reference/vicreg';
import { naiveAlignment, naiveUniformity } from './reference/wang-isola';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const TFJS_VERSION = '4.22.0';
const ENTRY_FILES = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'];

// npm passes its settings to the scripts it runs as npm_config_* variables, and
// npm_config_local_prefix would point the nested npm at the workspace root. Only
// the cache, registry, TLS and proxy settings are kept.
const KEPT_NPM_VARIABLES = new Set([
  'npm_config_cache',
  'npm_config_registry',
  'npm_config_userconfig',
  'npm_config_globalconfig',
  'npm_config_cafile',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_noproxy',
  'npm_config_strict_ssl',
]);

function isolatedEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) || KEPT_NPM_VARIABLES.has(key.toLowerCase()),
    ),
  );
}

/** Runs a command to completion and returns its stdout; throws with its output on failure. */
function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): string {
  const result = spawnSync(command, args, {
    cwd,
    env: isolatedEnvironment(),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().slice(-4000);
    const reason = result.error ? result.error.message : `exit status ${result.status}`;
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (${reason}):\n${output}`);
  }
  return result.stdout;
}

/** Builds dist/ with `npm run build` when it is missing or older than its inputs. */
function buildIfStale(): void {
  const inputs = [
    ...readdirSync(join(packageRoot, 'src'), { recursive: true }).map((file) =>
      join(packageRoot, 'src', String(file)),
    ),
    join(packageRoot, 'package.json'),
    join(packageRoot, 'tsup.config.ts'),
    join(packageRoot, '..', '..', 'tsup.shared.ts'),
  ];
  const newestInput = Math.max(...inputs.map((file) => statSync(file).mtimeMs));
  const outputTimes = ENTRY_FILES.map((file) => {
    try {
      return statSync(join(packageRoot, file)).mtimeMs;
    } catch {
      return 0;
    }
  });

  if (Math.min(...outputTimes) < newestInput) {
    run('npm', ['run', 'build'], packageRoot, 120_000);
  }
}

/** Fixed inputs, rounded to float32, written for the consumer scripts to read. */
function makeInputs() {
  const random = new SeededNormal(2024);
  const z1 = random.matrix(6, 4);
  const z2 = z1.map((row) => row.map((v) => Math.fround(v + 0.5 * random.normal())));
  return {
    z1,
    z2,
    negatives: random.matrix(7, 4),
    labels: [0, 1, 0, 2, 1, 3],
  };
}

type Inputs = ReturnType<typeof makeInputs>;

/** The values that the consumer scripts must print, from the float64 references. */
function expectedValues({ z1, z2, negatives, labels }: Inputs): Record<string, number> {
  return {
    ntXentLoss: naiveNtXent(z1, z2, 0.5),
    // The queue in the scripts has capacity 5, so it keeps the first 5 negatives.
    infoNceLoss: naiveInfoNce(z1, z2, negatives.slice(0, 5), 0.2),
    supConLoss: naiveSupCon(z1, z2, labels, 0.1),
    dclLoss: naiveDcl(z1, z2, 0.1),
    weightedDclLoss: naiveDcl(z1, z2, 0.1, 0.5),
    barlowTwinsLoss: naiveBarlowTwins(z1, z2, 5e-3),
    vicRegLoss: naiveVicReg(z1, z2, { similarity: 25, variance: 25, covariance: 1 }),
    negativeCosineSimilarity: naiveNegativeCosine(z1, z2),
    alignment: naiveAlignment(z1, z2, 2),
    uniformity: naiveUniformity(z1, 2),
  };
}

// Shared by the ES module and the CommonJS script: computes every loss on the cpu
// backend from the inputs file.
const CONSUMER_BODY = `
async function computeAll(tf, losses, inputsPath, readFileSync) {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const inputs = JSON.parse(readFileSync(inputsPath, 'utf8'));
  const z1 = tf.tensor2d(inputs.z1);
  const z2 = tf.tensor2d(inputs.z2);
  const labels = tf.tensor1d(inputs.labels, 'int32');
  const queue = new losses.KeyQueue({ capacity: 5, dimension: inputs.z1[0].length });
  queue.enqueue(tf.tensor2d(inputs.negatives));
  const value = (scalar) => scalar.dataSync()[0];
  return {
    backend: tf.getBackend(),
    exports: Object.keys(losses).sort(),
    queueSize: queue.size,
    ntXentLoss: value(losses.ntXentLoss(z1, z2, { temperature: 0.5 })),
    infoNceLoss: value(losses.infoNceLoss(z1, z2, queue.keys, { temperature: 0.2 })),
    supConLoss: value(losses.supConLoss(z1, z2, labels, { temperature: 0.1 })),
    dclLoss: value(losses.dclLoss(z1, z2)),
    weightedDclLoss: value(losses.dclLoss(z1, z2, { weighted: true })),
    barlowTwinsLoss: value(losses.barlowTwinsLoss(z1, z2)),
    vicRegLoss: value(losses.vicRegLoss(z1, z2)),
    negativeCosineSimilarity: value(losses.negativeCosineSimilarity(z1, z2)),
    alignment: value(losses.alignment(z1, z2)),
    uniformity: value(losses.uniformity(z1)),
  };
}
`;

const ESM_SCRIPT = `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as losses from '@simclr-ts/contrastive-losses';
import { readFileSync } from 'node:fs';
${CONSUMER_BODY}
const results = await computeAll(tf, losses, process.argv[2], readFileSync);
const entry = import.meta.resolve('@simclr-ts/contrastive-losses');
console.log(JSON.stringify({ ...results, entry }));
`;

const CJS_SCRIPT = `const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const losses = require('@simclr-ts/contrastive-losses');
const { readFileSync } = require('node:fs');
${CONSUMER_BODY}
computeAll(tf, losses, process.argv[2], readFileSync).then((results) => {
  const entry = require.resolve('@simclr-ts/contrastive-losses');
  console.log(JSON.stringify({ ...results, entry }));
});
`;

// Compiled for both module systems: .mts resolves the "import" types (index.d.ts)
// and .cts the "require" types (index.d.cts). Each @ts-expect-error fails the
// compile if the declarations degrade to any.
const TYPE_CHECK = `import * as tf from '@tensorflow/tfjs-core';
import {
  KeyQueue,
  alignment,
  barlowTwinsLoss,
  dclLoss,
  infoNceLoss,
  negativeCosineSimilarity,
  ntXentLoss,
  supConLoss,
  uniformity,
  vicRegLoss,
  type AlignmentOptions,
  type BarlowTwinsOptions,
  type DclOptions,
  type InfoNceOptions,
  type KeyQueueOptions,
  type NtXentOptions,
  type SupConOptions,
  type UniformityOptions,
  type VicRegOptions,
} from '@simclr-ts/contrastive-losses';

const z1: tf.Tensor2D = tf.zeros([4, 8]);
const z2: tf.Tensor2D = tf.zeros([4, 8]);
const labels: tf.Tensor1D = tf.tensor1d([0, 1, 0, 1], 'int32');
const queueOptions: KeyQueueOptions = { capacity: 16, dimension: 8 };
const queue = new KeyQueue(queueOptions);
const size: number = queue.size;
const keys: tf.Tensor2D = queue.keys;

const ntXent: NtXentOptions = { temperature: 0.5 };
const infoNce: InfoNceOptions = { temperature: 0.07 };
const supCon: SupConOptions = { temperature: 0.1 };
const dcl: DclOptions = { temperature: 0.1, weighted: true, sigma: 0.5 };
const barlowTwins: BarlowTwinsOptions = { lambda: 5e-3 };
const vicReg: VicRegOptions = { similarityWeight: 25, varianceWeight: 25, covarianceWeight: 1 };
const align: AlignmentOptions = { alpha: 2 };
const uniform: UniformityOptions = { t: 2 };

export const scalars: tf.Scalar[] = [
  ntXentLoss(z1, z2, ntXent),
  infoNceLoss(z1, z2, keys, infoNce),
  supConLoss(z1, z2, labels, supCon),
  dclLoss(z1, z2, dcl),
  barlowTwinsLoss(z1, z2, barlowTwins),
  vicRegLoss(z1, z2, vicReg),
  negativeCosineSimilarity(z1, z2),
  alignment(z1, z2, align),
  uniformity(z1, uniform),
];
export { size };

// @ts-expect-error temperature is a number
ntXentLoss(z1, z2, { temperature: '0.5' });
// @ts-expect-error supConLoss needs the labels
supConLoss(z1, z2);
// @ts-expect-error embeddings are rank 2
uniformity(labels);
// @ts-expect-error misspelt option
dclLoss(z1, z2, { weigthed: true });
`;

const COMPILER_OPTIONS = {
  strict: true,
  module: 'nodenext',
  moduleResolution: 'nodenext',
  target: 'es2022',
  lib: ['es2022', 'dom'],
};

const TSCONFIG = {
  compilerOptions: { ...COMPILER_OPTIONS, noEmit: true },
  files: ['check.mts', 'check.cts'],
};

const EXAMPLE_TSCONFIG = {
  compilerOptions: { ...COMPILER_OPTIONS, outDir: 'example' },
  files: ['readme-example.mts'],
};

/** Returns the first TypeScript block of the README's Example section. */
function readmeExample(): string {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Example'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) {
    throw new Error('README.md has no ```ts block under ## Example.');
  }
  return block[1]!;
}

function typeScriptCompiler(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
}

describe('packed package', () => {
  let workDirectory = '';
  let consumer = '';
  let tarballFiles: string[] = [];
  const inputs = makeInputs();

  beforeAll(() => {
    buildIfStale();
    workDirectory = mkdtempSync(join(tmpdir(), 'contrastive-losses-pack-'));
    consumer = join(workDirectory, 'consumer');
    mkdirSync(consumer);

    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', workDirectory], packageRoot),
    ) as { filename: string; files: { path: string }[] }[];
    tarballFiles = packed[0]!.files.map((file) => file.path).sort();

    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }),
    );
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--save-exact',
        '--prefix',
        consumer,
        join(workDirectory, packed[0]!.filename),
        `@tensorflow/tfjs-core@${TFJS_VERSION}`,
        `@tensorflow/tfjs-backend-cpu@${TFJS_VERSION}`,
      ],
      consumer,
      180_000,
    );

    writeFileSync(join(consumer, 'inputs.json'), JSON.stringify(inputs));
    writeFileSync(join(consumer, 'esm.mjs'), ESM_SCRIPT);
    writeFileSync(join(consumer, 'cjs.cjs'), CJS_SCRIPT);
    writeFileSync(join(consumer, 'check.mts'), TYPE_CHECK);
    writeFileSync(join(consumer, 'check.cts'), TYPE_CHECK);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    writeFileSync(join(consumer, 'readme-example.mts'), readmeExample());
    writeFileSync(join(consumer, 'tsconfig.example.json'), JSON.stringify(EXAMPLE_TSCONFIG));
  }, 300_000);

  afterAll(() => {
    if (workDirectory) {
      rmSync(workDirectory, { recursive: true, force: true });
    }
  });

  it('contains only dist, README.md and package.json', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining([...ENTRY_FILES, 'README.md', 'package.json']),
    );
    for (const file of tarballFiles) {
      expect(file).toMatch(/^(dist\/[\w.-]+|README\.md|package\.json)$/);
    }
  });

  it('installs with no dependency but the tfjs-core peer', () => {
    const installed = join(consumer, 'node_modules', '@simclr-ts', 'contrastive-losses');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;

    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toEqual({ '@tensorflow/tfjs-core': '^4.22.0' });
    expect(manifest.sideEffects).toBe(false);
    expect(readdirSync(join(consumer, 'node_modules', '@simclr-ts'))).toEqual([
      'contrastive-losses',
    ]);
  });

  it.each([
    { label: 'import', script: 'esm.mjs', entry: /\/dist\/index\.js$/ },
    { label: 'require', script: 'cjs.cjs', entry: /\/dist\/index\.cjs$/ },
  ])('computes every loss through $label', ({ script, entry }) => {
    const output = run(process.execPath, [script, 'inputs.json'], consumer);
    const results = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;

    expect(results.entry).toMatch(entry);
    expect(results.backend).toBe('cpu');
    expect(results.exports).toEqual(Object.keys(publicApi).sort());
    expect(results.queueSize).toBe(5);
    for (const [name, expected] of Object.entries(expectedValues(inputs))) {
      const actual = results[name] as number;
      expect(Math.abs(actual - expected), name).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(expected)),
      );
    }
  });

  it('type-checks for ES modules and CommonJS with tsc', () => {
    // tsc prints nothing when the files compile; run() throws with its errors otherwise.
    expect(run(process.execPath, [typeScriptCompiler(), '-p', 'tsconfig.json'], consumer)).toBe('');
  });

  it('prints the values that the README example shows', () => {
    // Comments such as '// ≈ 0.200, -3.722' list the printed values in order.
    const documented = [...readmeExample().matchAll(/\/\/ ≈ (.+)$/gm)].flatMap((match) =>
      match[1]!.split(', '),
    );

    run(process.execPath, [typeScriptCompiler(), '-p', 'tsconfig.example.json'], consumer);
    const output = run(process.execPath, ['example/readme-example.mjs'], consumer);
    const printed = output.trim().split(/\s+/).map(Number);

    expect(printed).toHaveLength(documented.length);
    documented.forEach((text, i) => {
      // A value shown with k decimals must round to it: within half a unit of the last digit.
      const decimals = text.split('.')[1]?.length ?? 0;
      expect(Math.abs(printed[i]! - Number(text)), text).toBeLessThanOrEqual(0.5 * 10 ** -decimals);
    });
  });
});
