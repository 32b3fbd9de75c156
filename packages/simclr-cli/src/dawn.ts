import { isModuleNotFound, type GpuLike, type WebgpuProvider } from '@simclr-ts/backends';
import { installedVersion } from './package-versions';

/**
 * Advice for a machine where Dawn finds no adapter. Dawn's Vulkan backend needs a
 * Vulkan driver. SwiftShader, the CPU Vulkan driver that Chromium ships (Debian's
 * chromium package installs it in /usr/lib/chromium), works where no GPU does.
 */
const NO_ADAPTER_HINT =
  'Dawn found no usable Vulkan driver and printed the cause on stderr. ' +
  'Without a GPU, SwiftShader from Chromium works but trains far slower than wasm: ' +
  'set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json and LD_LIBRARY_PATH=/usr/lib/chromium';

/**
 * WebGPU for Node from Dawn, the `webgpu` package (an optional dependency): it loads
 * the package, defines its WebGPU globals (`GPUBufferUsage`, `GPUMapMode`, ...) where
 * they are missing, and returns the GPU object that setupBackend installs as
 * `navigator.gpu`.
 */
export function dawnProvider(): WebgpuProvider {
  const version = installedVersion('webgpu');
  const name = version === undefined ? 'Dawn (webgpu)' : `Dawn (webgpu ${version})`;
  return {
    name,
    createGpu: async () => {
      let dawn: typeof import('webgpu');
      try {
        dawn = await import('webgpu');
      } catch (error) {
        if (isModuleNotFound(error, 'webgpu')) {
          throw new Error(
            "Dawn is not installed: the optional dependency 'webgpu' is missing; install it with npm install webgpu",
          );
        }
        throw new Error(`${name} failed to load: ${(error as Error).message}`);
      }

      const scope = globalThis as Record<string, unknown>;
      for (const [key, value] of Object.entries(dawn.globals)) {
        if (!(key in scope)) {
          scope[key] = value;
        }
      }
      return dawn.create([]) as unknown as GpuLike;
    },
    noAdapterHint: NO_ADAPTER_HINT,
  };
}
