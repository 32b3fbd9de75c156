import type { SimclrParams } from '@simclr-ts/augment';
import type { NamedArray } from '@simclr-ts/models';
import type { PretrainConfig } from '../presets';

/** Start-up data of a pool worker, passed as `workerData`. */
export interface WorkerSetup {
  /** The pool's shared memory, from `allocateReplicaBuffer`. */
  buffer: SharedArrayBuffer;
  rank: number;
  size: number;
  /** tfjs backend name, the one the host chose. */
  backend: string;
  config: PretrainConfig;
}

/** Messages from the host to a worker. */
export type HostMessage =
  | {
      /** Replaces the weights and optimizer slots with a captured training state. */
      type: 'load';
      arrays: NamedArray[];
      metadata: Record<string, string>;
    }
  | {
      type: 'step';
      /** This worker's images, `[n, H, W, C]` float32 in [0, 1]. */
      images: Float32Array;
      shape: [number, number, number, number];
      /** Augmentation parameters of this worker's images, first and second view. */
      viewParams: [SimclrParams, SimclrParams];
      learningRate: number;
    }
  | { type: 'capture' };

/** Messages from a worker to the host. Every host message gets exactly one reply. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'loaded' }
  | { type: 'step'; loss: number }
  | { type: 'captured'; arrays: NamedArray[] }
  | {
      type: 'error';
      name: string;
      message: string;
      stack?: string;
      /** Set when `name` is 'NonFiniteLossError'. */
      step?: number;
      loss?: number;
    };
