// Writes tar archives entry by entry with the tar library's Header class, so that tests can build
// entries that `tar.create` would sanitize (absolute paths, "..", links pointing outside).
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

export interface RawEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link';
  linkpath?: string;
  content?: string;
}

/** Returns a gzip-compressed tar archive holding `entries` exactly as given. */
export function makeRawArchive(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.content ?? '');
    const data: HeaderData = {
      path: entry.path,
      type: entry.type ?? 'File',
      size: body.length,
      mode: entry.type === 'Directory' ? 0o755 : 0o644,
      mtime: new Date(0),
      linkpath: entry.linkpath,
    };
    const header = new Header(data);
    header.encode();
    blocks.push(header.block!);
    if (body.length > 0) {
      const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
      body.copy(padded);
      blocks.push(padded);
    }
  }
  // Two zero blocks end a tar archive.
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
