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

/**
 * Encodes float32 arrays in the safetensors format (Hugging Face's
 * specification, huggingface/safetensors `docs/source/index.mdx`): an 8-byte
 * little-endian header length, a JSON header mapping each name to its dtype,
 * shape and byte offsets, then the raw little-endian data.
 */
export function encodeSafetensors(contents: SafetensorsContents): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: contents.metadata };
  let offset = 0;
  for (const array of contents.arrays) {
    const expected = array.shape.reduce((product, size) => product * size, 1);
    if (array.values.length !== expected) {
      throw new Error(
        `Array '${array.name}' has ${array.values.length} values but shape [${array.shape}] needs ${expected}.`,
      );
    }
    if (array.name in header) {
      throw new Error(`Duplicate array name '${array.name}'.`);
    }
    header[array.name] = {
      dtype: 'F32',
      shape: array.shape,
      data_offsets: [offset, offset + array.values.byteLength],
    };
    offset += array.values.byteLength;
  }

  // The specification allows trailing spaces; padding to 8 bytes aligns the data.
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((8 - (headerText.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerText);
  const output = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(output.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  output.set(headerBytes, 8);

  let position = 8 + headerBytes.length;
  for (const array of contents.arrays) {
    const bytes = new Uint8Array(
      array.values.buffer,
      array.values.byteOffset,
      array.values.byteLength,
    );
    output.set(bytes, position);
    position += bytes.length;
  }
  return output;
}

/** Decodes a safetensors file of float32 arrays; see {@link encodeSafetensors}. */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors data',
): SafetensorsContents {
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
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)),
  ) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>
  >;
  const dataStart = 8 + headerLength;
  const arrays: NamedArray[] = [];
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
    } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') {
      throw new Error(`Unsupported dtype ${dtype} of '${name}' in ${source}: only F32 is read.`);
    }
    const [begin, end] = offsets;
    if (dataStart + end > bytes.length || end - begin !== 4 * shape.reduce((p, s) => p * s, 1)) {
      throw new Error(
        `Invalid ${source}: the data of '${name}' does not match its shape [${shape}] or lies past the end.`,
      );
    }
    // ArrayBuffer.slice copies, so the result is aligned and independent of
    // `bytes` (a Node Buffer's own slice would share its pooled memory).
    const start = bytes.byteOffset + dataStart + begin;
    const values = new Float32Array(bytes.buffer.slice(start, start + (end - begin)));
    arrays.push({ name, shape, values });
  }
  return { arrays, metadata };
}
