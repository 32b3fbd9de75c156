import type * as tf from '@tensorflow/tfjs-core';

/** Options of a forward pass. */
export interface ApplyOptions {
  /**
   * Training mode: BatchNorm normalises with the statistics of the batch and
   * updates its running statistics. Inference mode uses the running statistics.
   */
  training: boolean;
  /**
   * Replicas of a data-parallel step, each holding a share of the batch. In training,
   * BatchNorm then normalises with statistics over the whole batch of every replica
   * (synchronised BatchNorm), so the result does not depend on how the batch is split.
   * Default: none, a single replica.
   */
  replicas?: ReplicaGroup;
}

/**
 * Collective operations among the replicas of a data-parallel step. Every replica calls
 * the same methods in the same order, and each call returns once all replicas have made
 * it. Results are identical, bit for bit, on every replica.
 */
export interface ReplicaGroup {
  /** Index of this replica, from 0 to `size - 1`. */
  readonly rank: number;
  /** Number of replicas. */
  readonly size: number;
  /** Returns the `values` of every replica, in rank order; lengths may differ. */
  allGather(values: Float32Array): Float32Array[];
  /** Returns the element-wise sum of every replica's `values`, which must have equal lengths. */
  allReduceSum(values: Float32Array): Float32Array;
}

/** A variable with the stable, dotted name under which it is saved and loaded. */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** A layer or model that owns variables. */
export interface Module {
  /** Every variable, trainable or not, with stable dotted names, in a fixed order. */
  namedVariables(): NamedVariable[];
  /** Releases the memory of every variable. */
  dispose(): void;
}

/** Returns the variables of `module` that an optimizer updates. */
export function trainableVariables(module: Module): tf.Variable[] {
  return module
    .namedVariables()
    .map((entry) => entry.variable)
    .filter((variable) => variable.trainable);
}

/** Counts the trainable scalars of `module`, as torchvision counts parameters. */
export function countParameters(module: Module): number {
  return trainableVariables(module).reduce((total, variable) => total + variable.size, 0);
}

/** Prefixes every name of `entries` with `prefix` and a dot. */
export function prefixNames(prefix: string, entries: NamedVariable[]): NamedVariable[] {
  return entries.map((entry) => ({ name: `${prefix}.${entry.name}`, variable: entry.variable }));
}

/**
 * Combines named modules into one whose variables are prefixed with each key and a dot, for
 * saving or loading an encoder and its heads together. `dispose` disposes every part.
 */
export function combineModules(parts: Record<string, Module>): Module {
  return {
    namedVariables: () =>
      Object.entries(parts).flatMap(([prefix, part]) => prefixNames(prefix, part.namedVariables())),
    dispose: () => {
      for (const part of Object.values(parts)) {
        part.dispose();
      }
    },
  };
}
