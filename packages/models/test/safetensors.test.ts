import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../src/index';

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
