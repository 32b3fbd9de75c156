import type { Module, NamedVariable } from './module';

/** The trainable variables of a module, split by whether weight decay applies. */
export interface ParameterGroups {
  /** Convolution and Linear weights (rank 2 and above): weight decay and LARS adaptation apply. */
  decay: NamedVariable[];
  /** Biases and BatchNorm's γ and β (rank 0 and 1): no weight decay, no LARS adaptation. */
  noDecay: NamedVariable[];
}

/**
 * Splits the trainable variables of `module` into those that weight decay and LARS's
 * layer-wise adaptation (You et al., 2017) should act on and those they should skip. Biases
 * and BatchNorm parameters are skipped, as SimCLR's LARS optimizer skips them
 * (google-research/simclr, `tf2/model.py` and `tf2/lars_optimizer.py`). The split is by rank, since every bias and BatchNorm parameter here is a
 * vector and every weight a matrix or filter. Non-trainable variables (BatchNorm's running
 * statistics, a β with `center: false`) are in neither group. Each group keeps the order
 * of `namedVariables()`.
 */
export function parameterGroups(module: Module): ParameterGroups {
  const groups: ParameterGroups = { decay: [], noDecay: [] };
  for (const entry of module.namedVariables()) {
    if (!entry.variable.trainable) {
      continue;
    }
    (entry.variable.rank >= 2 ? groups.decay : groups.noDecay).push(entry);
  }
  return groups;
}
