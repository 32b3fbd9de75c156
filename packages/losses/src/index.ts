export { ntXentLoss } from './nt-xent';
export type { NtXentOptions } from './nt-xent';
