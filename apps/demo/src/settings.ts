// Settings of a training run, read from the URL query and the settings form.

/** Backends the page offers; 'auto' tries webgpu on a hardware adapter, then wasm, then cpu. */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'wasm', 'cpu'] as const;

/** A value of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Settings of the page. Each field's query parameter is named in its comment. */
export interface DemoSettings {
  /** `backend`: tfjs backend to use. Default 'auto'. */
  backend: BackendChoice;
  /** `batch`: images per step, each seen as two views. Default 64. */
  batchSize: number;
  /** `lr`: peak learning rate of AdamW, reached after a warm-up of 5% of the steps. Default 0.002. */
  learningRate: number;
  /** `steps`: optimizer steps of one run. Default 300. */
  steps: number;
  /** `knn`: steps between kNN measurements; 0 measures only before and after training. Default 25. */
  knnEvery: number;
  /** `train`: maximum number of sample images to train on and to use as the kNN bank. Default: all. */
  trainLimit: number | undefined;
  /** `test`: maximum number of sample images that the kNN monitor classifies. Default: all. */
  testLimit: number | undefined;
  /** `seed`: seed of the weights, augmentations and shuffling. Default 0. */
  seed: number;
  /**
   * `autostart=1` or `true`: starts training once data is loaded, from the built-in sample
   * or from the first file picked. `0` or `false` turn it off. Default false.
   */
  autostart: boolean;
}

/** Settings when the query sets none. */
export const DEFAULT_SETTINGS: Readonly<DemoSettings> = Object.freeze({
  backend: 'auto',
  batchSize: 64,
  learningRate: 2e-3,
  steps: 300,
  knnEvery: 25,
  trainLimit: undefined,
  testLimit: undefined,
  seed: 0,
  autostart: false,
});

/** Query parameters that {@link parseSettings} reads, in the order of {@link DemoSettings}. */
export const SETTING_PARAMETERS = [
  'backend',
  'batch',
  'lr',
  'steps',
  'knn',
  'train',
  'test',
  'seed',
  'autostart',
] as const;

/** Values of `autostart` that turn it on, and those that turn it off. */
const AUTOSTART_ON = ['1', 'true'];
const AUTOSTART_OFF = ['0', 'false'];

/**
 * Settings read from a query, and one message per parameter that was invalid or
 * unknown and so ignored.
 */
export interface ParsedSettings {
  settings: DemoSettings;
  problems: string[];
}

/**
 * Reads settings from a URL query such as `?backend=webgpu&steps=3&batch=16&autostart=1`.
 * A parameter that the query does not set keeps its value in `base`. An invalid value
 * keeps it too and adds a message to `problems`, as does a parameter that is not one
 * of {@link SETTING_PARAMETERS}.
 */
export function parseSettings(
  query: string,
  base: Readonly<DemoSettings> = DEFAULT_SETTINGS,
): ParsedSettings {
  const params = new URLSearchParams(query);
  const settings: DemoSettings = { ...base };
  const problems: string[] = [];

  for (const name of new Set(params.keys())) {
    if (!SETTING_PARAMETERS.some((known) => known === name)) {
      problems.push(
        `${name} is not a setting of this page; the settings are ${SETTING_PARAMETERS.join(', ')}.`,
      );
    }
  }

  const backend = params.get('backend');
  if (backend !== null) {
    const choice = BACKEND_CHOICES.find((name) => name === backend);
    if (choice === undefined) {
      problems.push(`backend=${backend} is not one of ${BACKEND_CHOICES.join(', ')}.`);
    } else {
      settings.backend = choice;
    }
  }

  const integer = (name: string, min: number): number | undefined => {
    const text = params.get(name);
    if (text === null) {
      return undefined;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`${name}=${text} is not an integer of at least ${min}.`);
      return undefined;
    }
    return value;
  };
  settings.batchSize = integer('batch', 2) ?? settings.batchSize;
  settings.steps = integer('steps', 1) ?? settings.steps;
  settings.knnEvery = integer('knn', 0) ?? settings.knnEvery;
  settings.trainLimit = integer('train', 2) ?? settings.trainLimit;
  settings.testLimit = integer('test', 1) ?? settings.testLimit;
  settings.seed = integer('seed', 0) ?? settings.seed;

  const lr = params.get('lr');
  if (lr !== null) {
    const value = Number(lr);
    if (!(value > 0 && value <= 1)) {
      problems.push(`lr=${lr} is not a number in (0, 1].`);
    } else {
      settings.learningRate = value;
    }
  }

  const autostart = params.get('autostart');
  if (autostart !== null) {
    if (AUTOSTART_ON.includes(autostart)) {
      settings.autostart = true;
    } else if (AUTOSTART_OFF.includes(autostart)) {
      settings.autostart = false;
    } else {
      problems.push(
        `autostart=${autostart} is not one of ${[...AUTOSTART_ON, ...AUTOSTART_OFF].join(', ')}.`,
      );
    }
  }
  return { settings, problems };
}
