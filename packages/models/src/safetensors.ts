/** One float32 array with its name and shape, as stored in a safetensors file. */
export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Contents of a safetensors file: float32 arrays and string metadata. */
export interface SafetensorsContents {
  arrays: NamedArray[];
  metadata: Record<string, string>;
}

/** Element types of the safetensors format, with their sizes in bytes. */
export const SAFETENSORS_DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

/** Element type of a safetensors tensor. */
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_BYTES;

/** One tensor of any element type, as raw little-endian bytes. */
export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Little-endian element bytes, row-major; length = product of `shape` × element size. */
  data: Uint8Array;
}

/**
 * Encodes float32 arrays in the safetensors format (Hugging Face's
 * specification, huggingface/safetensors `docs/source/index.mdx`): an 8-byte
 * little-endian header length, a JSON header mapping each name to its dtype,
 * shape and byte offsets, then the raw little-endian data.
 */
export function encodeSafetensors(contents: SafetensorsContents): Uint8Array {
  const tensors = contents.arrays.map((array): SafetensorsTensor => {
    const expected = elementCount(array.shape);
    if (array.values.length !== expected) {
      throw new Error(
        `Array '${array.name}' has ${array.values.length} values but shape [${array.shape}] needs ${expected}.`,
      );
    }
    const data = new Uint8Array(
      array.values.buffer,
      array.values.byteOffset,
      array.values.byteLength,
    );
    return { name: array.name, dtype: 'F32', shape: array.shape, data };
  });
  return encodeSafetensorsTensors(tensors, contents.metadata);
}

/** Decodes a safetensors file of float32 arrays; see {@link encodeSafetensors}. */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors data',
): SafetensorsContents {
  const { tensors, metadata } = decodeSafetensorsTensors(bytes, source);
  const arrays = tensors.map(({ name, dtype, shape, data }): NamedArray => {
    if (dtype !== 'F32') {
      throw new Error(`Unsupported dtype ${dtype} of '${name}' in ${source}: only F32 is read.`);
    }
    return { name, shape, values: new Float32Array(data.buffer, data.byteOffset, data.length / 4) };
  });
  return { arrays, metadata };
}

/**
 * Encodes tensors of any safetensors element type, with string metadata, in the
 * safetensors format; see {@link encodeSafetensors}.
 */
export function encodeSafetensorsTensors(
  tensors: SafetensorsTensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const tensor of tensors) {
    const elementBytes = dtypeBytes(tensor.dtype);
    if (elementBytes === undefined) {
      throw new Error(`Unsupported dtype ${tensor.dtype} of '${tensor.name}'.`);
    }
    const expected = elementCount(tensor.shape) * elementBytes;
    if (tensor.data.length !== expected) {
      throw new Error(
        `Tensor '${tensor.name}' has ${tensor.data.length} bytes but ${tensor.dtype} shape [${tensor.shape}] needs ${expected}.`,
      );
    }
    if (tensor.name in header) {
      throw new Error(`Duplicate array name '${tensor.name}'.`);
    }
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + tensor.data.length],
    };
    offset += tensor.data.length;
  }

  // The specification allows trailing spaces; padding to 8 bytes aligns the data.
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((8 - (headerText.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerText);
  const output = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(output.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  output.set(headerBytes, 8);

  let position = 8 + headerBytes.length;
  for (const tensor of tensors) {
    output.set(tensor.data, position);
    position += tensor.data.length;
  }
  return output;
}

/**
 * Decodes a safetensors file into tensors of any element type and its metadata. Each
 * tensor's `data` is a copy, aligned for typed-array views and independent of `bytes`.
 * Throws, naming `source`, when the header is malformed or a tensor's bytes do not match
 * its dtype and shape or lie past the end.
 */
export function decodeSafetensorsTensors(
  bytes: Uint8Array,
  source = 'safetensors data',
): { tensors: SafetensorsTensor[]; metadata: Record<string, string> } {
  if (bytes.length < 8) {
    throw new Error(
      `Invalid ${source}: ${bytes.length} bytes is shorter than the 8-byte header length.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) {
    throw new Error(
      `Invalid ${source}: the header claims ${headerLength} bytes but the file has ${bytes.length}.`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new Error(`Invalid ${source}: the header is not valid JSON (${String(error)}).`);
  }
  const dataStart = 8 + headerLength;
  const tensors: SafetensorsTensor[] = [];
  let metadata: Record<string, string> = {};

  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = (entry ?? {}) as {
      dtype: SafetensorsDtype;
      shape: number[];
      data_offsets: [number, number];
    };
    if (!isIntegerList(shape) || !isIntegerList(offsets) || offsets.length !== 2) {
      throw new Error(
        `Invalid ${source}: the header entry of '${name}' needs a shape and two data_offsets.`,
      );
    }
    const elementBytes = dtypeBytes(dtype);
    if (elementBytes === undefined) {
      throw new Error(`Unsupported dtype ${dtype} of '${name}' in ${source}.`);
    }
    const [begin, end] = offsets as [number, number];
    if (dataStart + end > bytes.length || end - begin !== elementBytes * elementCount(shape)) {
      throw new Error(
        `Invalid ${source}: the data of '${name}' does not match its shape [${shape}] or lies past the end.`,
      );
    }
    // ArrayBuffer.slice copies, so the result is aligned and independent of
    // `bytes` (a Node Buffer's own slice would share its pooled memory).
    const start = bytes.byteOffset + dataStart + begin;
    const data = new Uint8Array(bytes.buffer.slice(start, start + (end - begin)));
    tensors.push({ name, dtype, shape, data });
  }
  return { tensors, metadata };
}

function dtypeBytes(dtype: string): number | undefined {
  return Object.hasOwn(SAFETENSORS_DTYPE_BYTES, dtype)
    ? SAFETENSORS_DTYPE_BYTES[dtype as SafetensorsDtype]
    : undefined;
}

function isIntegerList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => Number.isInteger(item) && item >= 0);
}

function elementCount(shape: number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}
