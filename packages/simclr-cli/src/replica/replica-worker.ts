// Entry of one worker thread of a data-parallel pretraining pool (bundled as
// dist/replica-worker.cjs). It builds the same trainer as the host, joins the pool's
// replica group, and runs the steps, loads and captures that the host sends.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import {
  NonFiniteLossError,
  SharedMemoryReplicaGroup,
  abortReplicaGroup,
  captureTrainingState,
  restoreTrainingState,
  type SimclrTrainer,
} from '@simclr-ts/train';
import { createPretrainTrainer } from '../pretrain-model';
import { initBackend } from '../runtime';
import type { HostMessage, WorkerMessage, WorkerSetup } from './worker-protocol';

const port = parentPort!;
const setup = workerData as WorkerSetup;

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

async function handle(trainer: SimclrTrainer, message: HostMessage): Promise<WorkerMessage> {
  switch (message.type) {
    case 'load':
      await restoreTrainingState(trainer, { arrays: message.arrays, metadata: message.metadata });
      return { type: 'loaded' };
    case 'step': {
      trainer.setLearningRate(message.learningRate);
      const images = tf.tensor4d(message.images, message.shape);
      try {
        return { type: 'step', loss: await trainer.stepWithParams(images, message.viewParams) };
      } finally {
        images.dispose();
      }
    }
    case 'capture': {
      const state = await captureTrainingState(trainer);
      return { type: 'captured', arrays: state.arrays };
    }
  }
}

function errorMessage(error: unknown): WorkerMessage {
  if (error instanceof NonFiniteLossError) {
    return {
      type: 'error',
      name: error.name,
      message: error.message,
      step: error.step,
      loss: error.loss,
    };
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  return { type: 'error', name: failure.name, message: failure.message, stack: failure.stack };
}

async function main(): Promise<void> {
  await initBackend(setup.backend);
  const replicas = new SharedMemoryReplicaGroup(setup.buffer, setup.rank, setup.size);
  const { trainer } = createPretrainTrainer(setup.config, replicas);
  port.on('message', (message: HostMessage) => {
    handle(trainer, message).then(send, (error: unknown) => {
      // Every replica stops with the same NonFiniteLossError. Any other failure leaves
      // the others waiting in a collective call, so it releases them.
      if (!(error instanceof NonFiniteLossError)) {
        abortReplicaGroup(setup.buffer);
      }
      send(errorMessage(error));
    });
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  abortReplicaGroup(setup.buffer);
  send(errorMessage(error));
  // Stays alive until the host terminates it: an exit right away could reach the host
  // before this message and replace the cause with "exited with code 0".
  port.on('message', () => undefined);
});
