import { describe, expect, it } from 'vitest';
import {
  ProjectionHeadV2,
  combineModules,
  createResNetEncoder,
  parameterGroups,
  trainableVariables,
} from '../src/index';

describe('parameterGroups', () => {
  it('splits weights from biases and BatchNorm parameters', () => {
    const model = combineModules({
      encoder: createResNetEncoder({ stemWidth: 4, widths: [4, 8], blocks: [1, 1] }),
      head: new ProjectionHeadV2({ inputDim: 8, outputDim: 4, layers: 2 }),
    });
    const { decay, noDecay } = parameterGroups(model);
    const decayNames = decay.map((entry) => entry.name);
    const noDecayNames = noDecay.map((entry) => entry.name);

    expect(decayNames).toContain('encoder.conv1.weight');
    expect(decayNames).toContain('encoder.layer2.0.downsample.0.weight');
    expect(decayNames).toContain('head.0.weight');
    expect(noDecayNames).toContain('encoder.bn1.weight');
    expect(noDecayNames).toContain('encoder.layer2.0.downsample.1.bias');
    expect(noDecayNames).toContain('head.1.bias');
    expect(decay.every((entry) => entry.variable.rank >= 2)).toBe(true);
    expect(noDecay.every((entry) => entry.variable.rank === 1)).toBe(true);

    // Running statistics and the untrained shift of the last BatchNorm are in neither.
    const all = [...decayNames, ...noDecayNames];
    expect(all.some((name) => name.includes('running_'))).toBe(false);
    expect(all).not.toContain('head.4.bias');
    expect(all).toHaveLength(trainableVariables(model).length);
    model.dispose();
  });

  it('keeps the order of namedVariables', () => {
    const encoder = createResNetEncoder('small');
    const order = encoder.namedVariables().map((entry) => entry.name);
    const { decay, noDecay } = parameterGroups(encoder);
    for (const group of [decay, noDecay]) {
      const positions = group.map((entry) => order.indexOf(entry.name));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    encoder.dispose();
  });
});
