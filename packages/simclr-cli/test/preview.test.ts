import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadCifar10 } from '@simclr-ts/cifar';
import { describe, expect, it } from 'vitest';
import { renderGrid } from '../src/preview-grid';
import { useCliFixture } from './cli-fixture';

const { paths, runCli } = useCliFixture('simclr-preview-test-');
const preview = (args: string[]) => runCli(['preview', '--data', paths.archive, ...args]);

describe('simclr preview', () => {
  it('draws source images and their views', async () => {
    const out = join(paths.folder, 'grid.png');
    const result = preview(['--images', '3', '--views', '2', '--scale', '1', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 test images \(first column\) and 2 views each/);

    // One-pixel scale: gaps of 2, and 4 more after the source column.
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBe(2 + 3 * (32 + 2) + 4);
    expect(png.height).toBe(2 + 3 * (32 + 2));

    // Each row starts with one of the split's images, pixel for pixel.
    const dataset = await loadCifar10({
      data: paths.archive,
      cacheDir: join(paths.folder, 'cache'),
    });
    const imageSize = 32 * 32 * 3;
    for (let row = 0; row < 3; row++) {
      const cell = new Uint8Array(imageSize);
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const offset = 4 * ((2 + row * 34 + y) * png.width + 2 + x);
          cell.set(png.data.subarray(offset, offset + 3), 3 * (y * 32 + x));
        }
      }
      const matches = Array.from({ length: dataset.test.count }, (_, index) =>
        dataset.test.images.subarray(index * imageSize, (index + 1) * imageSize),
      ).filter((image) => image.every((value, i) => value === cell[i]));
      expect(matches.length, `row ${row}`).toBeGreaterThan(0);
    }
  });

  it('repeats itself under a seed and changes with it', () => {
    const files = ['a.png', 'b.png', 'c.png'].map((name) => join(paths.folder, name));
    for (const [index, path] of files.entries()) {
      const seed = index < 2 ? '5' : '6';
      expect(preview(['--images', '2', '--views', '2', '--seed', seed, '--out', path]).code).toBe(
        0,
      );
    }
    const [first, second, third] = files.map((path) => readFileSync(path));
    expect(first!.equals(second!)).toBe(true);
    expect(first!.equals(third!)).toBe(false);
  });

  it('rejects an unknown preset', () => {
    const result = preview(['--preset', 'none']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'none' is not one of/);
  });
});

describe('renderGrid', () => {
  it('scales cells and clips values', () => {
    const cell = Float32Array.from([2, 0.5, -1]);
    const grid = renderGrid([[cell]], {
      cellHeight: 1,
      cellWidth: 1,
      scale: 2,
      gap: 1,
      sourceGap: 3,
    });
    expect([grid.width, grid.height]).toEqual([4, 4]);
    const pixel = (x: number, y: number) =>
      Array.from(grid.data.subarray(4 * (y * 4 + x), 4 * (y * 4 + x) + 4));
    expect(pixel(1, 1)).toEqual([255, 128, 0, 255]);
    expect(pixel(2, 2)).toEqual([255, 128, 0, 255]);
    expect(pixel(0, 0)).toEqual([32, 32, 32, 255]);
  });

  it('rejects a cell of the wrong size', () => {
    const layout = { cellHeight: 2, cellWidth: 2, scale: 1, gap: 0, sourceGap: 0 };
    expect(() => renderGrid([[new Float32Array(3)]], layout)).toThrow(
      /has 3 values, expected 2 × 2 × 3/,
    );
  });
});
