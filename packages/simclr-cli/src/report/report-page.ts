import type { EvaluationResult } from '../evaluate';
import type { PretrainConfig } from '../presets';
import { escapeHtml, lineChart } from './line-chart';

/** One record of a run folder's metrics.jsonl. */
export interface MetricsRecord {
  event: string;
  step?: number;
  epoch?: number;
  loss?: number;
  meanLoss?: number;
  learningRate?: number;
  accuracy?: number;
}

/** Everything the report page shows. */
export interface ReportContents {
  runDir: string;
  config: PretrainConfig;
  metrics: MetricsRecord[];
  evaluation: EvaluationResult;
  classNames: string[];
  /** PNG of the augmentation preview, base64-encoded. */
  previewPng: string;
}

/** Builds a self-contained HTML page (inline SVG plots and the preview as a data URL). */
export function renderReport(contents: ReportContents): string {
  const { config, metrics, evaluation } = contents;
  const steps = metrics.filter((record) => record.event === 'step');
  const epochs = metrics.filter((record) => record.event === 'epoch');
  const knn = metrics.filter((record) => record.event === 'knn');
  const point = (x?: number, y?: number): [number, number] => [x ?? Number.NaN, y ?? Number.NaN];

  const epochStep = (record: MetricsRecord, index: number) =>
    record.step ?? (steps.length > 0 ? ((index + 1) * steps.length) / epochs.length : index + 1);
  const charts = [
    lineChart({
      title: 'NT-Xent loss',
      xLabel: 'step',
      yLabel: 'loss',
      series: [
        { name: 'step', points: steps.map((record) => point(record.step, record.loss)) },
        {
          name: 'epoch mean',
          points: epochs.map((record, index) => point(epochStep(record, index), record.meanLoss)),
        },
      ],
    }),
    lineChart({
      title: 'Learning rate',
      xLabel: 'step',
      yLabel: 'learning rate',
      series: [
        { name: 'rate', points: steps.map((record) => point(record.step, record.learningRate)) },
      ],
    }),
  ];
  if (knn.length > 0) {
    charts.push(
      lineChart({
        title: "kNN monitor: test accuracy, bank of the run's training images",
        xLabel: 'epoch',
        yLabel: 'top-1 accuracy',
        series: [
          { name: 'kNN', points: knn.map((record) => point(record.epoch, record.accuracy)) },
        ],
      }),
    );
  }

  const configRows = Object.entries(config)
    .map(
      ([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`,
    )
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>SimCLR run ${escapeHtml(contents.runDir)}</title>`,
    '<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}',
    'th,td{padding:2px 8px;text-align:right}th{font-weight:normal;color:#555}',
    '.confusion td{min-width:2.5em}section{margin-bottom:2em}</style></head><body>',
    `<h1>SimCLR run</h1><p>${escapeHtml(contents.runDir)}</p>`,
    '<section><h2>Results</h2>',
    `<p>Linear probe top-1 accuracy: <b>${percent(evaluation.linearProbe)}</b>. `,
    `kNN top-1 accuracy: <b>${percent(evaluation.knn)}</b>. `,
    `Probe and kNN bank: ${evaluation.trainImages} training images; scored on ${evaluation.testImages} test images. `,
    'The kNN monitor of the training plots uses only the training images of the run as its bank.</p>',
    '<h3>Linear-probe confusion matrix</h3>',
    confusionTable(evaluation.confusion, contents.classNames),
    '</section>',
    `<section><h2>Training</h2>${charts.join('<br>')}</section>`,
    '<section><h2>Augmentation preview</h2>',
    '<p>Each row: a test image, then augmented views of it with the run&#39;s colour strength.</p>',
    `<img alt="augmented views" src="data:image/png;base64,${contents.previewPng}"></section>`,
    `<section><h2>Configuration</h2><table>${configRows}</table></section>`,
    '</body></html>',
    '',
  ].join('\n');
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

/** Renders counts `[true][predicted]` with cells shaded by their share of the true class. */
function confusionTable(confusion: number[][], classNames: string[]): string {
  const name = (index: number) => escapeHtml(classNames[index] ?? String(index));
  const header = confusion.map((_, index) => `<th>${name(index)}</th>`).join('');
  const rows = confusion.map((row, truth) => {
    const total = row.reduce((sum, count) => sum + count, 0) || 1;
    const cells = row
      .map((count) => {
        const share = count / total;
        const shade = Math.round(255 - 155 * share);
        return `<td style="background:rgb(${shade},${shade},255)">${count}</td>`;
      })
      .join('');
    return `<tr><th>${name(truth)}</th>${cells}</tr>`;
  });
  return `<table class="confusion"><tr><th>true \\ predicted</th>${header}</tr>${rows.join('')}</table>`;
}
