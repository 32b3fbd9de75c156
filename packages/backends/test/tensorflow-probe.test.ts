import { describe, expect, it } from 'vitest';
import { probeBackend } from '../src/backend-probes';
import { describeLoadFailure, describeTensorflowDevice } from '../src/tensorflow-probe';

const REQUIREMENTS =
  'tfjs-node-gpu 4.x needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 on the library path';

describe('probeBackend tensorflow', () => {
  // tfjs-node is not installed in this repository, because its install script downloads libtensorflow.
  it('reports both packages missing', async () => {
    const probe = await probeBackend('tensorflow', {});

    expect(probe).toEqual({
      available: false,
      reason: 'not installed (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node)',
    });
  });
});

describe('describeLoadFailure', () => {
  it.each([
    [
      '@tensorflow/tfjs-node-gpu',
      'libcudart.so.11.0: cannot open shared object file: No such file or directory',
      true,
    ],
    ['@tensorflow/tfjs-node-gpu', 'libcudnn.so.8: cannot open shared object file', true],
    ['@tensorflow/tfjs-node-gpu', 'libtensorflow.so.2: cannot open shared object file', false],
    ['@tensorflow/tfjs-node', 'libcudart.so.11.0: cannot open shared object file', false],
  ])('for %s and "%s" adds the CUDA requirements: %s', (specifier, message, hinted) => {
    const reason = describeLoadFailure(specifier, message);

    expect(reason.startsWith(`${specifier} failed to load: ${message}`)).toBe(true);
    expect(reason.endsWith(`(${REQUIREMENTS})`)).toBe(hinted);
  });
});

describe('describeTensorflowDevice', () => {
  // The objects carry the fields that tfjs-node 4.22's NodeJSKernelBackend sets.
  it.each([
    [
      '@tensorflow/tfjs-node-gpu',
      { isGPUPackage: true, isUsingGpuDevice: true, binding: { TF_Version: '2.9.1' } },
      'TensorFlow 2.9.1 on a CUDA GPU',
    ],
    [
      '@tensorflow/tfjs-node-gpu',
      { isGPUPackage: true, isUsingGpuDevice: false, binding: { TF_Version: '2.9.1' } },
      `TensorFlow 2.9.1 on the CPU: TensorFlow found no CUDA device (${REQUIREMENTS}; ` +
        "TensorFlow's log on stderr names any library it could not load)",
    ],
    [
      '@tensorflow/tfjs-node',
      { isGPUPackage: false, isUsingGpuDevice: false, binding: { TF_Version: '2.9.1' } },
      'TensorFlow 2.9.1 on the CPU',
    ],
    [
      '@tensorflow/tfjs-node-gpu',
      undefined,
      'TensorFlow, device unknown: this tfjs-node-gpu does not expose isUsingGpuDevice',
    ],
  ])('describes %s with %j', (specifier, backend, expected) => {
    expect(describeTensorflowDevice(specifier, backend)).toBe(expected);
  });
});
