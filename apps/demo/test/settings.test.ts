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
    ['autostart=yes', 'autostart=yes is not one of 1, true, 0, false.'],
    ['autostart=', 'autostart= is not one of 1, true, 0, false.'],
    [
      'bacth=16',
      'bacth is not a setting of this page; the settings are ' +
        'backend, batch, lr, steps, knn, train, test, seed, autostart.',
    ],
  ])('keeps the default for %s', (query, problem) => {
    const { settings, problems } = parseSettings(query);
    expect(problems).toEqual([problem]);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS });
  });

  it.each([
    ['autostart=1', true],
    ['autostart=true', true],
    ['autostart=0', false],
    ['autostart=false', false],
  ])('reads %s', (query, autostart) => {
    const { settings, problems } = parseSettings(query, { ...DEFAULT_SETTINGS, autostart: true });
    expect(problems).toEqual([]);
    expect(settings.autostart).toBe(autostart);
  });

  it('lists each problem once', () => {
    const { problems } = parseSettings('batch=1&steps=0&extra=1&extra=2');
    expect(problems).toEqual([
      'extra is not a setting of this page; the settings are ' +
        'backend, batch, lr, steps, knn, train, test, seed, autostart.',
      'batch=1 is not an integer of at least 2.',
      'steps=0 is not an integer of at least 1.',
    ]);
  });

  it('keeps the base settings that the query does not set', () => {
    const base = { ...DEFAULT_SETTINGS, backend: 'wasm' as const, trainLimit: 40, seed: 3 };
    const { settings, problems } = parseSettings('batch=16&steps=abc', base);
    expect(problems).toEqual(['steps=abc is not an integer of at least 1.']);
    expect(settings).toEqual({ ...base, batchSize: 16 });
  });
});
