import type { Options } from 'tsup';
import { libraryConfig } from '../../tsup.shared';

// `src/node.ts` is the `@simclr-ts/models/node` entry point; it alone may import `node:`
// modules, so that the main entry stays usable in browsers.
export default { ...(libraryConfig() as Options), entry: ['src/index.ts', 'src/node.ts'] };
