import { afterEach, describe, expect, it } from 'vitest';
import { probeBackend } from '../src/backend-probes';
import { describeAdapter, type WebgpuProvider } from '../src/webgpu-probe';

// The CLI's tests run Dawn for real, with and without a Vulkan driver.
describe('probeBackend webgpu', () => {
  afterEach(() => {
    delete (globalThis as { navigator?: unknown }).navigator;
  });

  it('reports a runtime without navigator.gpu', async () => {
    const probe = await probeBackend('webgpu', {});

    expect(probe).toEqual({
      available: false,
      reason: 'no WebGPU in this runtime (navigator.gpu is undefined)',
    });
  });

  it('passes on the reason a provider rejects with', async () => {
    const provider: WebgpuProvider = {
      name: 'Dawn',
      createGpu: () => Promise.reject(new Error("Dawn is not installed: no package 'webgpu'")),
    };

    const probe = await probeBackend('webgpu', { webgpu: provider });

    expect(probe.available).toBe(false);
    expect(probe.reason).toBe("Dawn is not installed: no package 'webgpu'");
    expect((globalThis as { navigator?: unknown }).navigator).toBeUndefined();
  });
});

describe('describeAdapter', () => {
  it.each([
    [
      {
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader driver 5.0.0',
        isFallbackAdapter: true,
      },
      'google swiftshader (SwiftShader driver 5.0.0), a software adapter',
    ],
    [{ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false }, 'nvidia hopper'],
    [{}, 'of unknown vendor'],
  ])('describes %j', (info, expected) => {
    expect(describeAdapter({ info })).toBe(expected);
  });
});
