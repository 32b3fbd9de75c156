import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ENCODER_PRESETS } from '@simclr-ts/models';
import { LEARNING_RATE_SCALINGS, OPTIMIZER_NAMES } from '@simclr-ts/train';
import { PRESETS, type PretrainConfig } from './presets';
import { UsageError } from './usage-error';

/** Rule of one configuration field: returns an error fragment for a bad value. */
type FieldCheck = (value: unknown) => string | undefined;

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): FieldCheck =>
  (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? undefined
      : `an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`;

const number =
  (min: number, inclusive: boolean, max = Infinity): FieldCheck =>
  (value) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (inclusive ? value >= min : value > min) &&
    value <= max
      ? undefined
      : `a number ${inclusive ? 'of at least' : 'above'} ${min}${max === Infinity ? '' : ` and at most ${max}`}`;

const oneOf =
  (choices: readonly string[]): FieldCheck =>
  (value) =>
    typeof value === 'string' && choices.includes(value)
      ? undefined
      : `one of ${choices.join(', ')}`;

/** The rule of every field of {@link PretrainConfig}. */
const FIELD_CHECKS: Record<keyof PretrainConfig, FieldCheck> = {
  encoder: oneOf(Object.keys(ENCODER_PRESETS)),
  epochs: integer(1),
  batchSize: integer(2),
  optimizer: oneOf(OPTIMIZER_NAMES),
  learningRate: number(0, false),
  learningRateScaling: oneOf(LEARNING_RATE_SCALINGS),
  warmupEpochs: number(0, true),
  weightDecay: number(0, true),
  temperature: number(0, false),
  colorStrength: number(0, true, 2.5),
  subset: integer(0, 50_000),
  seed: integer(0, 2 ** 31 - 1),
  knnEvery: integer(0),
};

/**
 * Checks the fields of a (partial) configuration from `source` (a file name or 'the
 * run folder'), throwing a UsageError that names the field, the value and the valid range.
 */
export function validateConfigFields(fields: Record<string, unknown>, source: string): void {
  for (const [key, value] of Object.entries(fields)) {
    const check = FIELD_CHECKS[key as keyof PretrainConfig];
    if (check === undefined) {
      throw new UsageError(
        `Unknown field '${key}' in ${source}: expected 'preset' or one of ${Object.keys(FIELD_CHECKS).join(', ')}.`,
      );
    }
    const problem = check(value);
    if (problem !== undefined) {
      throw new UsageError(
        `Invalid ${key} ${JSON.stringify(value)} in ${source}: expected ${problem}.`,
      );
    }
  }
}

/** Returns the preset named `name`, or throws a UsageError listing the names. */
export function presetNamed(name: string, source: string): PretrainConfig {
  const preset = PRESETS[name];
  if (preset === undefined) {
    throw new UsageError(
      `Unknown preset '${name}' in ${source}: expected one of ${Object.keys(PRESETS).join(', ')}.`,
    );
  }
  return preset;
}

/**
 * Reads a configuration file in JSON (`.json`) or YAML (any other name): an object with
 * any fields of {@link PretrainConfig} and optionally `preset`, the preset that the other
 * fields override. Returns the preset name and the checked fields.
 *
 * @throws UsageError if the file can't be read or parsed, or a field is unknown or invalid.
 */
export function readConfigFile(path: string): {
  preset?: string;
  fields: Partial<PretrainConfig>;
} {
  let parsed: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`Cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      `Invalid configuration file ${path}: expected an object of fields such as 'epochs: 10'.`,
    );
  }
  const { preset, ...fields } = parsed as Record<string, unknown>;
  if (preset !== undefined && typeof preset !== 'string') {
    throw new UsageError(`Invalid preset ${JSON.stringify(preset)} in ${path}: expected a name.`);
  }
  if (preset !== undefined) {
    presetNamed(preset, path);
  }
  validateConfigFields(fields, path);
  return { preset, fields: fields as Partial<PretrainConfig> };
}
