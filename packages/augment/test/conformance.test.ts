import { describe, expect, it } from 'vitest';

import { listAugmentations } from '../src/index';
import { describeConformance } from './conformance';
import { CONFORMANCE_CASES } from './conformance-cases';

describe.each(listAugmentations())('%s conformance', (name) => {
  const spec = CONFORMANCE_CASES[name];

  it('has a case in conformance-cases.ts', () => {
    expect(spec).toBeDefined();
  });

  if (spec !== undefined) {
    describeConformance(name, spec);
  }
});
