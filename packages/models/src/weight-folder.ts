import type { Module } from './module';
import {
  decodeSafetensorsTensors,
  encodeSafetensorsTensors,
  type NamedArray,
  type SafetensorsTensor,
} from './safetensors';
import { exportTorchWeights, importTorchWeights } from './torch-weights';
import { loadWeights, readWeights } from './weights';

/** Read access to the files of a weight folder: a directory, a URL prefix, a map in memory. */
export interface FolderReader {
  /** Location of the folder, a path or URL, for error messages. */
  readonly location: string;
  /** Resolves to the bytes of file `name`, or to undefined when the file does not exist. */
  read(name: string): Promise<Uint8Array | undefined>;
}

/** Write access to the files of a weight folder. */
export interface FolderWriter {
  /** Location of the folder, a path or URL, for error messages. */
  readonly location: string;
  /** Replaces file `name` with `bytes`, creating the folder when needed. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Deletes file `name`; resolves without error when it does not exist. */
  remove(name: string): Promise<void>;
}

/**
 * Layout of the arrays in a weight folder.
 * - `tfjs`: this package's layout, as `readWeights` returns it (convolution filters
 *   `[kh, kw, in, out]`, Linear weights `[in, out]`).
 * - `torch`: PyTorch's `state_dict` layout, as {@link exportTorchWeights} returns it, which
 *   `safetensors.torch.load_file` and `load_state_dict` read directly.
 */
export type WeightLayout = 'tfjs' | 'torch';

/** Options of {@link saveWeightsToFolder}. */
export interface SaveWeightsOptions {
  /** Layout of the saved arrays. Default `tfjs`. */
  layout?: WeightLayout;
  /**
   * String metadata stored in every file's safetensors header, such as the encoder
   * configuration as JSON. The keys `layout` and `format` are reserved.
   */
  metadata?: Record<string, string>;
  /**
   * Largest weight file in bytes; larger models are split into shards. A tensor larger than
   * this gets a shard of its own. Default 2³⁰ (1 GiB).
   */
  maxShardBytes?: number;
}

/** Options of {@link loadWeightsFromFolder}. */
export interface LoadWeightsOptions {
  /**
   * Only arrays whose names start with `prefix` are loaded, with the prefix removed, as in
   * `loadWeights`. Default none: every array.
   */
  prefix?: string;
}

/** The weight file of an unsharded folder. */
export const WEIGHTS_FILE = 'model.safetensors';
/** The index of a sharded folder, mapping each array name to its shard. */
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

const RESERVED_METADATA = ['layout', 'format'];
const DEFAULT_MAX_SHARD_BYTES = 2 ** 30;

/**
 * Saves every variable of `module` into `folder` in the file layout of Hugging Face's
 * `save_pretrained`: one `model.safetensors`, or, above `maxShardBytes`, shards named
 * `model-00001-of-00003.safetensors` and an index `model.safetensors.index.json`
 * (`{ metadata: { total_size }, weight_map: { name: file } }`). Array names are the
 * variables' stable dotted names. The header metadata records the layout, and `format` is
 * `pt` for the torch layout, as Hugging Face's loaders expect.
 *
 * After writing, it removes the file of the other layout (the index, or `model.safetensors`)
 * so that a loader cannot pick up stale weights.
 * NOTE: shards of an earlier save with a different shard count stay in the folder; the
 * new index does not refer to them.
 *
 * Resolves to the names of the files written.
 */
export async function saveWeightsToFolder(
  folder: FolderWriter,
  module: Module,
  options: SaveWeightsOptions = {},
): Promise<string[]> {
  const layout = options.layout ?? 'tfjs';
  const maxShardBytes = options.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES;
  if (layout !== 'tfjs' && layout !== 'torch') {
    throw new Error(`Invalid weight layout '${String(layout)}': expected tfjs or torch.`);
  }
  if (!(Number.isInteger(maxShardBytes) && maxShardBytes > 0)) {
    throw new Error(`Invalid maxShardBytes ${maxShardBytes}: expected a positive integer.`);
  }
  const userMetadata = options.metadata ?? {};
  for (const key of RESERVED_METADATA) {
    if (key in userMetadata) {
      throw new Error(`Invalid metadata key '${key}': it is reserved for the weight layout.`);
    }
  }
  const metadata: Record<string, string> = {
    ...userMetadata,
    layout,
    ...(layout === 'torch' ? { format: 'pt' } : {}),
  };

  const tensors = layout === 'torch' ? await exportTorchWeights(module) : await tfjsTensors(module);
  const shards = splitIntoShards(tensors, maxShardBytes);
  if (shards.length === 1) {
    await folder.write(WEIGHTS_FILE, encodeSafetensorsTensors(shards[0]!, metadata));
    await folder.remove(WEIGHTS_INDEX_FILE);
    return [WEIGHTS_FILE];
  }

  const files = shards.map((_, index) => shardFileName(index, shards.length));
  const weightMap: Record<string, string> = {};
  for (const [index, shard] of shards.entries()) {
    await folder.write(files[index]!, encodeSafetensorsTensors(shard, metadata));
    for (const tensor of shard) {
      weightMap[tensor.name] = files[index]!;
    }
  }
  const totalSize = tensors.reduce((total, tensor) => total + tensor.data.length, 0);
  const index = { metadata: { total_size: totalSize }, weight_map: weightMap };
  await folder.write(WEIGHTS_INDEX_FILE, new TextEncoder().encode(JSON.stringify(index, null, 2)));
  await folder.remove(WEIGHTS_FILE);
  return [...files, WEIGHTS_INDEX_FILE];
}

/**
 * Loads the weights that {@link saveWeightsToFolder} saved (or any folder in that layout,
 * such as a PyTorch `state_dict` saved with `format: pt`) into `module`. It reads
 * `model.safetensors` when present, else the index and its shards. Arrays in the torch
 * layout are converted. Every shape is checked before anything is assigned, and the error
 * names every missing, unexpected and mis-shaped array. Resolves to the header metadata.
 */
export async function loadWeightsFromFolder(
  folder: FolderReader,
  module: Module,
  options: LoadWeightsOptions = {},
): Promise<Record<string, string>> {
  const { tensors, metadata } = await readFolderTensors(folder);
  const layout = metadata.layout ?? (metadata.format === 'pt' ? 'torch' : 'tfjs');
  const prefix = options.prefix ?? '';
  if (layout === 'torch') {
    importTorchWeights(module, tensors, { prefix });
  } else if (layout === 'tfjs') {
    loadWeights(module, tensors.map(toNamedArray), prefix);
  } else {
    throw new Error(
      `Unsupported weight layout '${layout}' in ${folder.location}: expected tfjs or torch.`,
    );
  }
  return metadata;
}

/** Reads every tensor of a weight folder, from one file or from the shards of its index. */
async function readFolderTensors(
  folder: FolderReader,
): Promise<{ tensors: SafetensorsTensor[]; metadata: Record<string, string> }> {
  const single = await folder.read(WEIGHTS_FILE);
  if (single !== undefined) {
    return decodeSafetensorsTensors(single, `${folder.location}/${WEIGHTS_FILE}`);
  }
  const indexBytes = await folder.read(WEIGHTS_INDEX_FILE);
  if (indexBytes === undefined) {
    throw new Error(
      `No weights found in ${folder.location}: expected ${WEIGHTS_FILE} or ${WEIGHTS_INDEX_FILE}.`,
    );
  }
  const weightMap = parseIndex(indexBytes, `${folder.location}/${WEIGHTS_INDEX_FILE}`);

  const tensors: SafetensorsTensor[] = [];
  let metadata: Record<string, string> = {};
  const unlisted: string[] = [];
  for (const file of new Set(Object.values(weightMap))) {
    const bytes = await folder.read(file);
    if (bytes === undefined) {
      throw new Error(
        `Missing shard ${file} in ${folder.location}: ${WEIGHTS_INDEX_FILE} lists it.`,
      );
    }
    const shard = decodeSafetensorsTensors(bytes, `${folder.location}/${file}`);
    metadata = { ...shard.metadata, ...metadata };
    for (const tensor of shard.tensors) {
      if (weightMap[tensor.name] === file) {
        tensors.push(tensor);
      } else {
        unlisted.push(`${tensor.name} (in ${file})`);
      }
    }
  }
  const found = new Set(tensors.map((tensor) => tensor.name));
  const absent = Object.keys(weightMap).filter((name) => !found.has(name));
  if (absent.length > 0 || unlisted.length > 0) {
    throw new Error(
      `The shards in ${folder.location} do not match ${WEIGHTS_INDEX_FILE}; ${[
        absent.length > 0 ? `listed but absent: ${absent.join(', ')}` : '',
        unlisted.length > 0 ? `present but listed elsewhere: ${unlisted.join(', ')}` : '',
      ]
        .filter((part) => part !== '')
        .join('; ')}.`,
    );
  }
  return { tensors, metadata };
}

function parseIndex(bytes: Uint8Array, source: string): Record<string, string> {
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`Invalid ${source}: not valid JSON (${String(error)}).`);
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (
    typeof weightMap !== 'object' ||
    weightMap === null ||
    Object.values(weightMap).some((file) => typeof file !== 'string')
  ) {
    throw new Error(`Invalid ${source}: expected a weight_map object of file names.`);
  }
  for (const file of Object.values(weightMap as Record<string, string>)) {
    checkFileName(file);
  }
  return weightMap as Record<string, string>;
}

async function tfjsTensors(module: Module): Promise<SafetensorsTensor[]> {
  return (await readWeights(module)).map(({ name, shape, values }) => ({
    name,
    dtype: 'F32',
    shape,
    data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  }));
}

function toNamedArray(tensor: SafetensorsTensor): NamedArray {
  if (tensor.dtype !== 'F32') {
    throw new Error(
      `Unsupported dtype ${tensor.dtype} of '${tensor.name}': tfjs-layout weights are float32.`,
    );
  }
  const { data } = tensor;
  return {
    name: tensor.name,
    shape: tensor.shape,
    values: new Float32Array(data.buffer, data.byteOffset, data.length / 4),
  };
}

/** Splits `tensors`, in order, into shards of at most `maxBytes` bytes of data each. */
function splitIntoShards(tensors: SafetensorsTensor[], maxBytes: number): SafetensorsTensor[][] {
  const shards: SafetensorsTensor[][] = [[]];
  let shardBytes = 0;
  for (const tensor of tensors) {
    const current = shards[shards.length - 1]!;
    if (current.length > 0 && shardBytes + tensor.data.length > maxBytes) {
      shards.push([tensor]);
      shardBytes = tensor.data.length;
    } else {
      current.push(tensor);
      shardBytes += tensor.data.length;
    }
  }
  return shards;
}

function shardFileName(index: number, count: number): string {
  const pad = (value: number) => String(value).padStart(5, '0');
  return `model-${pad(index + 1)}-of-${pad(count)}.safetensors`;
}

/**
 * Throws unless `name` is a plain file name (letters, digits, `.`, `_` and `-`, not `.` or
 * `..`), so that a weight index cannot point outside its folder.
 */
export function checkFileName(name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(
      `Invalid weight file name '${name}': expected letters, digits, '.', '_' or '-' only.`,
    );
  }
}

/** A weight folder held in memory, for tests and for browsers that keep files themselves. */
export class MemoryFolder implements FolderReader, FolderWriter {
  /** The files, by name. */
  readonly files = new Map<string, Uint8Array>();

  constructor(readonly location = 'memory') {}

  async read(name: string): Promise<Uint8Array | undefined> {
    checkFileName(name);
    return this.files.get(name);
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    checkFileName(name);
    this.files.set(name, bytes.slice());
  }

  async remove(name: string): Promise<void> {
    checkFileName(name);
    this.files.delete(name);
  }
}

/** Options of {@link fetchFolder}. */
export interface FetchFolderOptions {
  /** The fetch function. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Request options of every fetch, such as headers. */
  init?: RequestInit;
}

/**
 * Returns a read-only weight folder at a URL prefix, read with `fetch`, so a browser can load
 * weights from where a page is served. A 404 response means the file does not exist; any
 * other failed response or network error rejects, naming the URL.
 */
export function fetchFolder(baseUrl: string | URL, options: FetchFolderOptions = {}): FolderReader {
  const text = String(baseUrl);
  // A relative prefix resolves against the page's address, as fetch itself would resolve it.
  const pageUrl = (globalThis as { location?: { href: string } }).location?.href;
  const base = new URL(text.endsWith('/') ? text : `${text}/`, pageUrl);
  const fetchFile = options.fetch ?? globalThis.fetch;
  return {
    location: base.href.slice(0, -1),
    async read(name: string): Promise<Uint8Array | undefined> {
      checkFileName(name);
      const url = new URL(name, base).href;
      let response: Response;
      try {
        response = await fetchFile(url, options.init);
      } catch (error) {
        throw new Error(`Failed to fetch ${url}: ${String(error)}.`, { cause: error });
      }
      if (response.status === 404) {
        return undefined;
      }
      if (!response.ok) {
        throw new Error(`Failed to fetch ${url}: HTTP ${response.status} ${response.statusText}.`);
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
