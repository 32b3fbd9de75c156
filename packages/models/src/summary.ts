import { countParameters, type Module } from './module';

/** One layer of a {@link ModelSummary}. */
export interface SummaryRow {
  /** Dotted path of the layer, the prefix of its variable names (`layer1.0.conv1`). */
  name: string;
  /** Kind of layer: `Conv2d`, `BatchNorm`, `MaxPool2d`, `BasicBlock`, `Sequential`, ... */
  layer: string;
  /** Nesting level: 0 for the children of the summarised module, 1 for theirs, and so on. */
  depth: number;
  /** Output shape: `[N, H, W, C]` for feature maps, `[N, features]` for vectors. */
  outputShape: number[];
  /** Trainable scalars of the layer and of every layer inside it. */
  parameters: number;
  /**
   * Multiply-accumulate operations of the convolutions and matrix products in the layer,
   * for the whole batch. Normalisation, activations, pooling and additions are not counted.
   */
  multAdds: number;
}

/**
 * Collects the rows of a summary while modules describe their layers, keeping the dotted
 * path of the module being traced.
 */
export class ShapeTrace {
  readonly rows: SummaryRow[] = [];
  private readonly path: string[] = [];

  /** Records a layer without children and returns `outputShape`. */
  layer(
    name: string,
    layer: string,
    outputShape: number[],
    parameters = 0,
    multAdds = 0,
  ): number[] {
    this.rows.push({
      name: this.qualify(name),
      layer,
      depth: this.path.length,
      outputShape: [...outputShape],
      parameters,
      multAdds,
    });
    return outputShape;
  }

  /**
   * Records a layer whose children `traceChildren` records, and returns the output shape
   * that `traceChildren` returns. The layer's parameters and multiply-accumulates are the sums
   * over its children. An empty `name` records no row: the children stay at this depth.
   */
  group(name: string, layer: string, traceChildren: () => number[]): number[] {
    if (name === '') {
      return traceChildren();
    }
    const row: SummaryRow = {
      name: this.qualify(name),
      layer,
      depth: this.path.length,
      outputShape: [],
      parameters: 0,
      multAdds: 0,
    };
    const index = this.rows.push(row) - 1;
    this.path.push(name);
    const outputShape = traceChildren();
    this.path.pop();

    row.outputShape = [...outputShape];
    for (const child of this.rows.slice(index + 1)) {
      if (child.depth === row.depth + 1) {
        row.parameters += child.parameters;
        row.multAdds += child.multAdds;
      }
    }
    return outputShape;
  }

  private qualify(name: string): string {
    return [...this.path, name].join('.');
  }
}

/** A module that can list its layers and their output shapes without running them. */
export interface ShapeTraceable {
  /**
   * Records a row for each of this module's layers, under `name` (empty for the module
   * being summarised), for an input of shape `inputShape`, and returns the output shape.
   * Throws when the input shape does not fit the module.
   */
  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[];
}

/** Options of {@link modelSummary}. */
export interface ModelSummaryOptions {
  /** Deepest nesting level listed, 0 for the module's children only. Default: every level. */
  maxDepth?: number;
}

/** Layers, output shapes and parameter counts of a model, as torchinfo's `summary` prints them. */
export interface ModelSummary {
  /** Every layer down to `maxDepth`, in the order the forward pass runs them. */
  rows: SummaryRow[];
  inputShape: number[];
  outputShape: number[];
  /** Trainable scalars of the whole model. */
  parameters: number;
  /** Multiply-accumulate operations of one forward pass; see {@link SummaryRow.multAdds}. */
  multAdds: number;
  /** The rows and totals as a fixed-width text table. */
  text: string;
}

/**
 * Summarises `module` for an input of shape `inputShape` (NHWC for images, `[N, features]`
 * for heads). Output shapes follow from the layers' arithmetic, so no tensor is allocated
 * and no forward pass runs, even at full size.
 */
export function modelSummary(
  module: Module & ShapeTraceable,
  inputShape: number[],
  options: ModelSummaryOptions = {},
): ModelSummary {
  const trace = new ShapeTrace();
  const outputShape = module.traceShapes([...inputShape], trace, '');
  const maxDepth = options.maxDepth ?? Infinity;
  const rows = trace.rows.filter((row) => row.depth <= maxDepth);
  const multAdds = trace.rows
    .filter((row) => row.depth === 0)
    .reduce((total, row) => total + row.multAdds, 0);
  const parameters = countParameters(module);
  const text = formatSummary(rows, { inputShape, outputShape, parameters, multAdds });
  return { rows, inputShape: [...inputShape], outputShape, parameters, multAdds, text };
}

function formatSummary(
  rows: SummaryRow[],
  totals: { inputShape: number[]; outputShape: number[]; parameters: number; multAdds: number },
): string {
  const header = ['Layer (type)', 'Output shape', 'Param #', 'Mult-adds'];
  const cells = rows.map((row) => [
    `${'  '.repeat(row.depth)}${row.name} (${row.layer})`,
    formatShape(row.outputShape),
    formatCount(row.parameters),
    formatCount(row.multAdds),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]!.length)),
  );
  const formatLine = (line: string[]) =>
    line
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('   ')
      .trimEnd();
  const rule = '='.repeat(widths.reduce((total, width) => total + width, 0) + 3 * 3);

  return [
    formatLine(header),
    rule,
    ...cells.map(formatLine),
    rule,
    `Input shape: ${formatShape(totals.inputShape)}`,
    `Output shape: ${formatShape(totals.outputShape)}`,
    `Total params: ${formatCount(totals.parameters)}`,
    `Total mult-adds: ${formatCount(totals.multAdds)}`,
  ].join('\n');
}

function formatShape(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * Throws unless `shape` has rank `rank` and `channels` entries on its last axis; `layer`
 * names the layer in the message.
 */
export function checkTracedShape(
  layer: string,
  shape: number[],
  rank: number,
  channels: number,
): void {
  if (shape.length !== rank || shape[rank - 1] !== channels) {
    const expected = rank === 4 ? `[N, H, W, ${channels}]` : `[N, ${channels}]`;
    throw new Error(
      `Invalid input shape ${formatShape(shape)} for ${layer}: expected ${expected}.`,
    );
  }
}

/** Output length of a convolution or pooling window along one axis, as PyTorch computes it. */
export function windowOutputSize(
  size: number,
  kernelSize: number,
  stride: number,
  padding: number,
): number {
  return Math.floor((size + 2 * padding - kernelSize) / stride) + 1;
}
