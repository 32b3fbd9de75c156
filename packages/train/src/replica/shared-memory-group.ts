import type { ReplicaGroup } from '@simclr-ts/models';

// Layout of the control words at the start of the buffer (Int32 indices).
const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;
const CONTROL_WORDS = 4;

/** How long one `Atomics.wait` sleeps before the abort flag is checked again, in ms. */
const POLL_MS = 250;

/** Raised in every replica once any party calls {@link abortReplicaGroup}. */
export class ReplicaGroupAbortedError extends Error {
  constructor() {
    super('The replica group was aborted because another replica or its host failed.');
    this.name = 'ReplicaGroupAbortedError';
  }
}

/**
 * Allocates the shared memory of a {@link SharedMemoryReplicaGroup} of `size` replicas,
 * each able to share up to `capacity` float32 values in one collective call. Pass the
 * buffer to every replica, e.g. with `postMessage` or a worker's `workerData`.
 */
export function allocateReplicaBuffer(size: number, capacity: number): SharedArrayBuffer {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`Invalid replica count ${size}: expected a positive integer.`);
  }
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new Error(`Invalid replica buffer capacity ${capacity}: expected a positive integer.`);
  }
  const headerBytes = 4 * (CONTROL_WORDS + size);
  return new SharedArrayBuffer(headerBytes + 4 * size * capacity);
}

/** Wakes every replica waiting in a collective call and makes it throw {@link ReplicaGroupAbortedError}. */
export function abortReplicaGroup(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, CONTROL_WORDS);
  Atomics.store(control, ABORTED, 1);
  Atomics.notify(control, GENERATION);
}

/**
 * A {@link ReplicaGroup} over a `SharedArrayBuffer`, for replicas that run in separate
 * threads (Node's `worker_threads`, or Web Workers on a cross-origin-isolated page).
 *
 * Each replica owns one slot of `capacity` floats. A collective call writes this
 * replica's values into its slot, waits at a barrier, reads every slot, and waits at a
 * second barrier so that no replica overwrites a slot that another is still reading.
 * Waiting uses `Atomics.wait`, which browsers allow in workers only (Node allows it on
 * the main thread too).
 */
export class SharedMemoryReplicaGroup implements ReplicaGroup {
  readonly rank: number;
  readonly size: number;
  /** Values one replica can share in one call. */
  readonly capacity: number;
  private readonly control: Int32Array;
  private readonly lengths: Int32Array;
  private readonly slots: Float32Array[];

  constructor(buffer: SharedArrayBuffer, rank: number, size: number) {
    const headerBytes = 4 * (CONTROL_WORDS + size);
    this.capacity = (buffer.byteLength - headerBytes) / (4 * size);
    if (!Number.isInteger(rank) || rank < 0 || rank >= size) {
      throw new Error(`Invalid replica rank ${rank}: expected an integer from 0 to ${size - 1}.`);
    }
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new Error(
        `Invalid replica buffer of ${buffer.byteLength} bytes for ${size} replicas: allocate it with allocateReplicaBuffer.`,
      );
    }
    this.rank = rank;
    this.size = size;
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.lengths = new Int32Array(buffer, 4 * CONTROL_WORDS, size);
    this.slots = Array.from(
      { length: size },
      (_, slot) => new Float32Array(buffer, headerBytes + 4 * slot * this.capacity, this.capacity),
    );
  }

  allGather(values: Float32Array): Float32Array[] {
    this.publish(values);
    this.barrier();
    const gathered = this.slots.map((slot, rank) => slot.slice(0, this.lengths[rank]!));
    this.barrier();
    return gathered;
  }

  allReduceSum(values: Float32Array): Float32Array {
    this.publish(values);
    this.barrier();
    for (let rank = 0; rank < this.size; rank++) {
      if (this.lengths[rank] !== values.length) {
        this.barrier();
        throw new Error(
          `allReduceSum: replica ${rank} shared ${this.lengths[rank]} values but replica ${this.rank} shared ${values.length}. Every replica must pass the same length.`,
        );
      }
    }
    // Summing in rank order, in float64, gives every replica the same bits.
    const sum = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      let total = 0;
      for (const slot of this.slots) {
        total += slot[i]!;
      }
      sum[i] = total;
    }
    this.barrier();
    return sum;
  }

  private publish(values: Float32Array): void {
    if (values.length > this.capacity) {
      abortReplicaGroup(this.control.buffer as SharedArrayBuffer);
      throw new Error(
        `Replica ${this.rank} shared ${values.length} values, more than the buffer capacity of ${this.capacity}. Allocate a larger buffer.`,
      );
    }
    this.slots[this.rank]!.set(values);
    this.lengths[this.rank] = values.length;
  }

  /** Returns once every replica has arrived. The last to arrive releases the others. */
  private barrier(): void {
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) === this.size - 1) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    while (Atomics.load(this.control, GENERATION) === generation) {
      if (Atomics.load(this.control, ABORTED) !== 0) {
        throw new ReplicaGroupAbortedError();
      }
      Atomics.wait(this.control, GENERATION, generation, POLL_MS);
    }
  }
}
