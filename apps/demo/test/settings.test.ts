import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../src/settings';

describe('parseSettings', () => {
  it('returns the defaults for an empty query', () => {
    expect(parseSettings('')).toEqual({ settings: { ...DEFAULT_SETTINGS }, problems: [] });
  });

  it('reads every parameter', () => {
    const { settings, problems } = parseSettings(
      '?backend=webgpu&batch=16&lr=0.01&steps=3&knn=0&train=40&test=20&seed=5&autostart=1',
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      backend: 'webgpu',
      batchSize: 16,
      learningRate: 0.01,
      steps: 3,
      knnEvery: 0,
      trainLimit: 40,
      testLimit: 20,
      seed: 5,
      autostart: true,
    });
  });

  it.each([
    ['backend=tpu', 'backend=tpu is not one of auto, webgpu, wasm, cpu.'],
    ['batch=1', 'batch=1 is not an integer of at least 2.'],
    ['steps=2.5', 'steps=2.5 is not an integer of at least 1.'],
    ['lr=0', 'lr=0 is not a number in (0, 1].'],
    ['lr=abc', 'lr=abc is not a number in (0, 1].'],
  ])('keeps the default for %s', (query, problem) => {
    const { settings, problems } = parseSettings(query);
    expect(problems).toEqual([problem]);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS });
  });
});
