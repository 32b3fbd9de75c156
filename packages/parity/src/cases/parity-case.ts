import type * as tf from '@tensorflow/tfjs-core';

/** Tensors of one case, named in the order the page reports them. */
export type CaseTensors = Record<string, tf.Tensor>;

/** One computation that the page runs on every backend with the same inputs. */
export interface ParityCase {
  /** Key of the tolerance table, e.g. 'loss/nt-xent'. */
  readonly name: string;
  /**
   * Computes the outputs. It runs inside `tf.tidy`, and any variable it creates it must
   * dispose before it returns. `digest` receives what the case derived in JavaScript,
   * such as drawn augmentation parameters, which must not differ between backends.
   */
  run(digest: (text: string) => void): CaseTensors;
}
