import * as tf from '@tensorflow/tfjs-core';
import type { Module } from './module';
import type { NamedArray } from './safetensors';

/** Reads every variable of `module` into arrays named `prefix` + its stable name. */
export async function readWeights(module: Module, prefix = ''): Promise<NamedArray[]> {
  return Promise.all(
    module.namedVariables().map(async ({ name, variable }) => ({
      name: `${prefix}${name}`,
      shape: [...variable.shape],
      values: (await variable.data()) as Float32Array,
    })),
  );
}

/**
 * Assigns the arrays named `prefix` + a variable's stable name to the
 * variables of `module`. Arrays with other prefixes are ignored. Throws when
 * a variable has no array, an array under the prefix matches no variable, or
 * a shape differs, and names them all.
 */
export function loadWeights(module: Module, arrays: NamedArray[], prefix = ''): void {
  const byName = new Map(
    arrays.filter((a) => a.name.startsWith(prefix)).map((a) => [a.name.slice(prefix.length), a]),
  );
  const variables = module.namedVariables();
  const missing = variables
    .filter(({ name }) => !byName.has(name))
    .map(({ name }) => prefix + name);
  const known = new Set(variables.map(({ name }) => name));
  const unexpected = [...byName.keys()]
    .filter((name) => !known.has(name))
    .map((name) => prefix + name);
  const mismatched = variables
    .filter(({ name, variable }) => {
      const array = byName.get(name);
      return array !== undefined && array.shape.join(',') !== variable.shape.join(',');
    })
    .map(
      ({ name, variable }) =>
        `${prefix}${name} (expected [${variable.shape}], found [${byName.get(name)!.shape}])`,
    );

  const problems = [
    missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
    unexpected.length > 0 ? `unexpected: ${unexpected.join(', ')}` : '',
    mismatched.length > 0 ? `wrong shape: ${mismatched.join(', ')}` : '',
  ].filter((line) => line !== '');
  if (problems.length > 0) {
    throw new Error(`The weights do not fit the model; ${problems.join('; ')}.`);
  }

  for (const { name, variable } of variables) {
    const array = byName.get(name)!;
    tf.tidy(() => variable.assign(tf.tensor(array.values, array.shape)));
  }
}
