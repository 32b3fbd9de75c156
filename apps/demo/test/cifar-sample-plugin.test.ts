import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ARCHIVE,
  missingArchiveMessage,
  sampleOptionsFromEnv,
} from '../scripts/cifar-sample-plugin';

describe('sampleOptionsFromEnv', () => {
  it('uses the default archive when the variable is unset', () => {
    const options = sampleOptionsFromEnv({});
    expect(options.archive).toBe(DEFAULT_ARCHIVE);
    expect(options.archiveFromEnv).toBe(false);
  });

  it('marks an archive from SIMCLR_CIFAR_ARCHIVE', () => {
    const options = sampleOptionsFromEnv({ SIMCLR_CIFAR_ARCHIVE: '/missing/cifar.tar.gz' });
    expect(options.archive).toBe('/missing/cifar.tar.gz');
    expect(options.archiveFromEnv).toBe(true);
  });
});

describe('missingArchiveMessage', () => {
  it('names the variable when it points to a missing file', () => {
    const message = missingArchiveMessage(
      sampleOptionsFromEnv({ SIMCLR_CIFAR_ARCHIVE: '/missing/cifar.tar.gz' }),
    );
    expect(message).toMatch(
      /^SIMCLR_CIFAR_ARCHIVE points to a missing file \/missing\/cifar.tar.gz;/,
    );
    expect(message).not.toContain('Set SIMCLR_CIFAR_ARCHIVE');
  });

  it('suggests the variable for the default archive', () => {
    const message = missingArchiveMessage(sampleOptionsFromEnv({}));
    expect(message).toMatch(/^CIFAR-10 archive not found at /);
    expect(message).toContain('Set SIMCLR_CIFAR_ARCHIVE to include one.');
  });
});
