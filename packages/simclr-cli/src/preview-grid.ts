import { PNG } from 'pngjs';

/** Layout of {@link renderGrid}. */
export interface GridLayout {
  /** Height and width of every cell image in pixels, before scaling. */
  cellHeight: number;
  cellWidth: number;
  /** Each image pixel becomes a square of `scale` × `scale` output pixels. */
  scale: number;
  /** Background pixels between cells. */
  gap: number;
  /** Extra background pixels after the first column, which contains the source images. */
  sourceGap: number;
}

/** An RGBA image, 8 bits per channel, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const BACKGROUND = [32, 32, 32, 255];

/**
 * Draws `rows` of RGB cell images (float32 HWC in [0, 1], clipped) into one RGBA image:
 * row r, column c shows `rows[r][c]`, enlarged by nearest-neighbour `scale`.
 *
 * @throws Error if a cell does not contain cellHeight × cellWidth × 3 values.
 */
export function renderGrid(rows: Float32Array[][], layout: GridLayout): RgbaImage {
  const { cellHeight, cellWidth, scale, gap, sourceGap } = layout;
  const columns = Math.max(...rows.map((row) => row.length));
  const cellPixelsHigh = cellHeight * scale;
  const cellPixelsWide = cellWidth * scale;
  const width = gap + columns * (cellPixelsWide + gap) + (columns > 1 ? sourceGap : 0);
  const height = gap + rows.length * (cellPixelsHigh + gap);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data.set(BACKGROUND, 4 * i);
  }

  rows.forEach((row, rowIndex) => {
    row.forEach((cell, columnIndex) => {
      if (cell.length !== cellHeight * cellWidth * 3) {
        throw new Error(
          `renderGrid: cell (${rowIndex}, ${columnIndex}) has ${cell.length} values, expected ${cellHeight} × ${cellWidth} × 3.`,
        );
      }
      const left = gap + columnIndex * (cellPixelsWide + gap) + (columnIndex > 0 ? sourceGap : 0);
      const top = gap + rowIndex * (cellPixelsHigh + gap);
      for (let y = 0; y < cellPixelsHigh; y++) {
        const sourceRow = Math.floor(y / scale) * cellWidth;
        for (let x = 0; x < cellPixelsWide; x++) {
          const source = 3 * (sourceRow + Math.floor(x / scale));
          const target = 4 * ((top + y) * width + left + x);
          for (let channel = 0; channel < 3; channel++) {
            const value = Math.min(1, Math.max(0, cell[source + channel]!));
            data[target + channel] = Math.round(255 * value);
          }
          data[target + 3] = 255;
        }
      }
    });
  });
  return { width, height, data };
}

/** Encodes `image` as a PNG file's bytes. */
export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}
