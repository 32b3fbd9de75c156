import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  decodeSafetensorsTensors,
  encodeSafetensors,
  encodeSafetensorsTensors,
} from '../src/index';

describe('safetensors', () => {
  it('round-trips arrays and metadata', () => {
    const arrays = [
      { name: 'a.weight', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      { name: 'b', shape: [], values: Float32Array.from([-0.5]) },
    ];
    const bytes = encodeSafetensors({ arrays, metadata: { epoch: '3' } });
    const decoded = decodeSafetensors(bytes);
    expect(decoded.metadata).toEqual({ epoch: '3' });
    expect(decoded.arrays.map((a) => a.name)).toEqual(['a.weight', 'b']);
    expect(Array.from(decoded.arrays[0]!.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decoded.arrays[1]!.shape).toEqual([]);
  });

  it('writes the header the specification describes', () => {
    const bytes = encodeSafetensors({
      arrays: [{ name: 'x', shape: [1], values: Float32Array.from([2]) }],
      metadata: {},
    });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.x).toEqual({ dtype: 'F32', shape: [1], data_offsets: [0, 4] });
    expect((8 + headerLength) % 8).toBe(0);
    expect(new Float32Array(bytes.slice(8 + headerLength).buffer)[0]).toBe(2);
  });

  it('rejects truncated data', () => {
    const bytes = encodeSafetensors({
      arrays: [{ name: 'x', shape: [4], values: new Float32Array(4) }],
      metadata: {},
    });
    expect(() =>
      decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'model.safetensors'),
    ).toThrow(/model.safetensors.*'x'/);
  });

  it('rejects a shape that does not match the values', () => {
    expect(() =>
      encodeSafetensors({
        arrays: [{ name: 'x', shape: [3], values: new Float32Array(4) }],
        metadata: {},
      }),
    ).toThrow(/'x' has 4 values but shape \[3\]/);
  });
});

describe('decodeSafetensors on a view', () => {
  it('reads arrays from a view with an offset into a larger buffer', () => {
    const bytes = encodeSafetensors({
      arrays: [{ name: 'x', shape: [2], values: Float32Array.from([3, 4]) }],
      metadata: {},
    });
    const pool = new Uint8Array(bytes.length + 13);
    pool.set(bytes, 13);
    const decoded = decodeSafetensors(pool.subarray(13));
    expect(Array.from(decoded.arrays[0]!.values)).toEqual([3, 4]);
  });
});

describe('safetensors tensors of any dtype', () => {
  it('round-trips int64 and float16 bytes', () => {
    const count = new Uint8Array(new BigInt64Array([7n]).buffer);
    const half = new Uint8Array([0x00, 0x3c, 0x00, 0xc0]); // 1.0 and -2.0 in float16
    const bytes = encodeSafetensorsTensors(
      [
        { name: 'bn.num_batches_tracked', dtype: 'I64', shape: [], data: count },
        { name: 'h', dtype: 'F16', shape: [2], data: half },
      ],
      { format: 'pt' },
    );
    const { tensors, metadata } = decodeSafetensorsTensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.map((tensor) => [tensor.name, tensor.dtype, tensor.shape])).toEqual([
      ['bn.num_batches_tracked', 'I64', []],
      ['h', 'F16', [2]],
    ]);
    expect(new BigInt64Array(tensors[0]!.data.buffer)[0]).toBe(7n);
    expect(Array.from(tensors[1]!.data)).toEqual(Array.from(half));
  });

  it('decodeSafetensors rejects a non-float32 array by name', () => {
    const bytes = encodeSafetensorsTensors([
      { name: 'steps', dtype: 'I64', shape: [1], data: new Uint8Array(8) },
    ]);
    expect(() => decodeSafetensors(bytes, 'state.safetensors')).toThrow(
      /Unsupported dtype I64 of 'steps' in state.safetensors: only F32 is read/,
    );
  });

  it('rejects bytes that do not fit the dtype and shape', () => {
    expect(() =>
      encodeSafetensorsTensors([{ name: 'x', dtype: 'I64', shape: [2], data: new Uint8Array(8) }]),
    ).toThrow(/'x' has 8 bytes but I64 shape \[2\] needs 16/);
  });

  it('rejects a header entry without shape', () => {
    const header = new TextEncoder().encode('{"x":{"dtype":"F32","data_offsets":[0,4]}}');
    const bytes = new Uint8Array(8 + header.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expect(() => decodeSafetensorsTensors(bytes, 'odd.safetensors')).toThrow(
      /Invalid odd.safetensors: the header entry of 'x' needs a shape and two data_offsets/,
    );
  });

  it('rejects an unknown dtype', () => {
    expect(() =>
      encodeSafetensorsTensors([
        { name: 'x', dtype: 'constructor' as 'F32', shape: [1], data: new Uint8Array(4) },
      ]),
    ).toThrow(/Unsupported dtype constructor of 'x'/);
  });

  it('rejects a header that is not JSON', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 8n, true);
    bytes.set(new TextEncoder().encode('{broken '), 8);
    expect(() => decodeSafetensorsTensors(bytes, 'bad.safetensors')).toThrow(
      /Invalid bad.safetensors: the header is not valid JSON/,
    );
  });
});
