import * as tf from '@tensorflow/tfjs-core';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryFolder,
  ProjectionHead,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  combineModules,
  createResNetEncoder,
  decodeSafetensorsTensors,
  fetchFolder,
  loadWeightsFromFolder,
  readWeights,
  saveWeightsToFolder,
  type Module,
} from '../src/index';
import { nodeFolder } from '../src/node';

const tiny = { stemWidth: 4, widths: [4, 8], blocks: [1, 1] };

async function expectSameWeights(actual: Module, expected: Module): Promise<void> {
  const [a, b] = await Promise.all([readWeights(actual), readWeights(expected)]);
  expect(a.map((array) => array.name)).toEqual(b.map((array) => array.name));
  a.forEach((array, i) =>
    expect(Array.from(array.values), array.name).toEqual(Array.from(b[i]!.values)),
  );
}

/** Creates an encoder whose running statistics differ from their initial values. */
function trainedEncoder(seed: number) {
  const encoder = createResNetEncoder(tiny, { seed });
  const images = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', seed);
  tf.dispose(encoder.apply(images as tf.Tensor4D, { training: true }));
  images.dispose();
  return encoder;
}

describe('saveWeightsToFolder and loadWeightsFromFolder', () => {
  it.each(['tfjs', 'torch'] as const)('round-trip in the %s layout', async (layout) => {
    const folder = new MemoryFolder();
    const source = trainedEncoder(1);
    const target = createResNetEncoder(tiny, { seed: 2 });
    const files = await saveWeightsToFolder(folder, source, {
      layout,
      metadata: { encoder: JSON.stringify(source.config) },
    });
    expect(files).toEqual([WEIGHTS_FILE]);

    const metadata = await loadWeightsFromFolder(folder, target);
    expect(metadata.layout).toBe(layout);
    expect(JSON.parse(metadata.encoder!)).toEqual(source.config);
    await expectSameWeights(target, source);
    source.dispose();
    target.dispose();
  });

  it('torch layout writes OIHW and format pt', async () => {
    const folder = new MemoryFolder();
    const encoder = createResNetEncoder(tiny);
    await saveWeightsToFolder(folder, encoder, { layout: 'torch' });
    const { tensors, metadata } = decodeSafetensorsTensors(folder.files.get(WEIGHTS_FILE)!);
    expect(metadata).toEqual({ layout: 'torch', format: 'pt' });
    expect(tensors.find((tensor) => tensor.name === 'conv1.weight')!.shape).toEqual([4, 3, 3, 3]);
    expect(tensors.some((tensor) => tensor.name === 'bn1.num_batches_tracked')).toBe(true);
    encoder.dispose();
  });

  it('shards large models with an index', async () => {
    const folder = new MemoryFolder();
    const source = trainedEncoder(3);
    const files = await saveWeightsToFolder(folder, source, { maxShardBytes: 1024 });
    expect(files.length).toBeGreaterThan(2);
    expect(files[0]).toMatch(/^model-00001-of-000\d\d\.safetensors$/);
    expect(files.at(-1)).toBe(WEIGHTS_INDEX_FILE);
    const index = JSON.parse(new TextDecoder().decode(folder.files.get(WEIGHTS_INDEX_FILE)));
    const sizes = (await readWeights(source)).reduce(
      (total, array) => total + array.values.byteLength,
      0,
    );
    expect(index.metadata.total_size).toBe(sizes);
    expect(Object.keys(index.weight_map)).toHaveLength(source.namedVariables().length);
    expect(folder.files.has(WEIGHTS_FILE)).toBe(false);

    const target = createResNetEncoder(tiny, { seed: 4 });
    await loadWeightsFromFolder(folder, target);
    await expectSameWeights(target, source);
    source.dispose();
    target.dispose();
  });

  it('removes the index of an earlier sharded save', async () => {
    const folder = new MemoryFolder();
    const first = trainedEncoder(5);
    const second = trainedEncoder(6);
    await saveWeightsToFolder(folder, first, { maxShardBytes: 1024 });
    await saveWeightsToFolder(folder, second);
    expect(folder.files.has(WEIGHTS_INDEX_FILE)).toBe(false);
    const target = createResNetEncoder(tiny);
    await loadWeightsFromFolder(folder, target);
    await expectSameWeights(target, second);
    [first, second, target].forEach((module) => module.dispose());
  });

  it('encoder and head share a folder', async () => {
    const folder = new MemoryFolder();
    const encoder = trainedEncoder(7);
    const head = new ProjectionHead({ inputDim: 8, outputDim: 4, seed: 8 });
    await saveWeightsToFolder(folder, combineModules({ encoder, head }));

    const loadedHead = new ProjectionHead({ inputDim: 8, outputDim: 4, seed: 9 });
    await loadWeightsFromFolder(folder, loadedHead, { prefix: 'head.' });
    await expectSameWeights(loadedHead, head);
    [encoder, head, loadedHead].forEach((module) => module.dispose());
  });

  it('names missing, unexpected and mis-shaped arrays', async () => {
    const folder = new MemoryFolder();
    const encoder = createResNetEncoder(tiny);
    await saveWeightsToFolder(folder, encoder);
    const wider = createResNetEncoder({ ...tiny, widths: [4, 16] });
    await expect(loadWeightsFromFolder(folder, wider)).rejects.toThrow(
      /wrong shape: layer2\.0\.conv1\.weight \(expected \[3,3,4,16\], found \[3,3,4,8\]\)/,
    );
    const bottleneck = createResNetEncoder({ ...tiny, block: 'bottleneck' });
    await expect(loadWeightsFromFolder(folder, bottleneck)).rejects.toThrow(
      /missing: layer1\.0\.conv3\.weight, .*; wrong shape: layer1\.0\.conv1\.weight \(expected \[1,1,4,4\], found \[3,3,4,4\]\)/,
    );
    [encoder, wider, bottleneck].forEach((module) => module.dispose());
  });

  it('reports an empty folder and a missing shard', async () => {
    const folder = new MemoryFolder('weights/run-1');
    const encoder = createResNetEncoder(tiny);
    await expect(loadWeightsFromFolder(folder, encoder)).rejects.toThrow(
      /No weights found in weights\/run-1: expected model.safetensors or model.safetensors.index.json/,
    );
    await saveWeightsToFolder(folder, encoder, { maxShardBytes: 1024 });
    const [secondShard] = [...folder.files.keys()].filter((name) => name.startsWith('model-00002'));
    folder.files.delete(secondShard!);
    await expect(loadWeightsFromFolder(folder, encoder)).rejects.toThrow(
      new RegExp(`Missing shard ${secondShard} in weights/run-1`),
    );
    encoder.dispose();
  });

  it.each([
    [{ metadata: { layout: 'x' } }, /Invalid metadata key 'layout': it is reserved/],
    [{ maxShardBytes: 0 }, /maxShardBytes 0/],
    [{ layout: 'keras' as 'tfjs' }, /weight layout 'keras'/],
  ])('rejects invalid options %j', async (options, message) => {
    const encoder = createResNetEncoder(tiny);
    await expect(saveWeightsToFolder(new MemoryFolder(), encoder, options)).rejects.toThrow(
      message,
    );
    encoder.dispose();
  });

  it('rejects file names outside the folder', async () => {
    await expect(new MemoryFolder().read('../model.safetensors')).rejects.toThrow(
      /Invalid weight file name '\.\.\/model\.safetensors'/,
    );
  });
});

describe('nodeFolder and fetchFolder', () => {
  let directory: string;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'simclr-models-folder-'));
    // Serves the files of `directory` on 127.0.0.1, 404 for any other.
    server = createServer((request, response) => {
      const name = decodeURIComponent(new URL(request.url!, 'http://127.0.0.1').pathname.slice(1));
      readFile(join(directory, name)).then(
        (bytes) => response.end(bytes),
        () => {
          response.statusCode = 404;
          response.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });

  it('save to disk, load over HTTP', async () => {
    const folder = nodeFolder(join(directory, 'run'));
    const source = trainedEncoder(10);
    await saveWeightsToFolder(folder, source, { maxShardBytes: 2048 });
    expect(readdirSync(join(directory, 'run')).some((name) => name.endsWith('.tmp'))).toBe(false);

    const fromDisk = createResNetEncoder(tiny, { seed: 11 });
    await loadWeightsFromFolder(folder, fromDisk);
    await expectSameWeights(fromDisk, source);
    const overHttp = createResNetEncoder(tiny, { seed: 12 });
    await loadWeightsFromFolder(fetchFolder(`${baseUrl}run`), overHttp);
    await expectSameWeights(overHttp, source);
    [source, fromDisk, overHttp].forEach((module) => module.dispose());
  });

  it('missing files are undefined, not errors', async () => {
    expect(await nodeFolder(join(directory, 'nowhere')).read(WEIGHTS_FILE)).toBeUndefined();
    expect(await fetchFolder(`${baseUrl}nowhere/`).read(WEIGHTS_FILE)).toBeUndefined();
  });

  it('fetch failures name the URL', async () => {
    const failing = fetchFolder('http://127.0.0.1:9/weights', {
      fetch: async () => new Response('nope', { status: 500, statusText: 'Internal Server Error' }),
    });
    await expect(failing.read(WEIGHTS_FILE)).rejects.toThrow(
      'Failed to fetch http://127.0.0.1:9/weights/model.safetensors: HTTP 500 Internal Server Error.',
    );
  });
});

describe('main entry point', () => {
  it('imports no Node.js module', () => {
    const sources = new URL('../src/', import.meta.url);
    const offenders: string[] = [];
    const visit = (folder: URL) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          visit(new URL(`${entry.name}/`, folder));
        } else if (entry.name !== 'node.ts') {
          const text = readFileSync(new URL(entry.name, folder), 'utf8');
          if (/from '(node:|fs|path|os)/.test(text)) {
            offenders.push(entry.name);
          }
        }
      }
    };
    visit(sources);
    expect(offenders).toEqual([]);
  });
});
