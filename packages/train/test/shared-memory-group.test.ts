import { describe, expect, it } from 'vitest';
import {
  ReplicaGroupAbortedError,
  SharedMemoryReplicaGroup,
  abortReplicaGroup,
  allocateReplicaBuffer,
} from '../src/index';

// Two or more replicas need threads; the CLI's worker pool tests cover them. These
// tests run what a single thread can: a group of one, and the input checks.
describe('SharedMemoryReplicaGroup', () => {
  it('gathers and sums in a group of one', () => {
    const group = new SharedMemoryReplicaGroup(allocateReplicaBuffer(1, 8), 0, 1);
    expect(group.allGather(Float32Array.of(1, 2, 3))).toEqual([Float32Array.of(1, 2, 3)]);
    expect(group.allReduceSum(Float32Array.of(4, 5))).toEqual(Float32Array.of(4, 5));
  });

  it('rejects values beyond the capacity', () => {
    const group = new SharedMemoryReplicaGroup(allocateReplicaBuffer(1, 2), 0, 1);
    expect(() => group.allGather(new Float32Array(3))).toThrow(
      /more than the buffer capacity of 2/,
    );
  });

  it('throws once the group is aborted', () => {
    const buffer = allocateReplicaBuffer(2, 4);
    const group = new SharedMemoryReplicaGroup(buffer, 0, 2);
    abortReplicaGroup(buffer);
    expect(() => group.allReduceSum(new Float32Array(4))).toThrow(ReplicaGroupAbortedError);
  });

  it.each([
    [-1, 2],
    [2, 2],
    [0.5, 2],
  ])('rejects rank %d of %d', (rank, size) => {
    expect(() => new SharedMemoryReplicaGroup(allocateReplicaBuffer(2, 4), rank, size)).toThrow(
      /Invalid replica rank/,
    );
  });

  it('rejects a buffer allocated for another size', () => {
    expect(() => new SharedMemoryReplicaGroup(new SharedArrayBuffer(10), 0, 2)).toThrow(
      /allocateReplicaBuffer/,
    );
  });

  it.each([
    [0, 4],
    [2, 0],
  ])('rejects allocating %d replicas of %d values', (size, capacity) => {
    expect(() => allocateReplicaBuffer(size, capacity)).toThrow(/Invalid replica/);
  });
});
