// The demo page: picks a backend, loads the data, and runs SimCLR pretraining
// with live views, loss and kNN charts, and an embedding map at the end.

// tfjs-core's entry comes first because it registers the environment flags that the
// gradient modules read while they load (in `vite dev` they load in import order).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { chooseBackend, type BackendChoiceResult } from './backend';
import { drawEmbeddingMap } from './embedding-map';
import { LineChart } from './line-chart';
import { describeData, fetchBuiltInSample, readPickedFile, type LoadedData } from './load-data';
import { parseSettings, type DemoSettings } from './settings';
import { TrainingRun, limit, type KnnReport, type StepReport } from './training-run';
import { ViewsGrid } from './views-grid';

/** State of the page, readable as `window.__demoState` by tests and from the console. */
export interface DemoState {
  status: 'starting' | 'needs-data' | 'ready' | 'training' | 'stopping' | 'done' | 'error';
  settings: DemoSettings;
  backend?: string;
  /** Reason WebGPU is not the backend, when it is not. */
  webgpuMissing?: string;
  dataSource?: string;
  /** Loss after each step of the current run. */
  losses: number[];
  knn: { step: number; accuracy: number }[];
  stepsPerSecond: number;
  imagesPerSecond: number;
  /** Times the views canvas was redrawn. */
  viewRefreshes: number;
  /** `tf.memory().numTensors` after each step of the current run and its views redraw. */
  tensorCounts: number[];
  /** Dots on the embedding map; 0 until a run ends. */
  mapPoints: number;
  /** Text of the errors shown on the page; undefined when none is shown. */
  error?: string;
}

declare global {
  interface Window {
    __demoState: DemoState;
  }
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  backendLabel: byId<HTMLSpanElement>('backend-label'),
  backendReasons: byId<HTMLUListElement>('backend-reasons'),
  dataStatus: byId<HTMLSpanElement>('data-status'),
  fileInput: byId<HTMLInputElement>('file-input'),
  error: byId<HTMLDivElement>('error'),
  form: byId<HTMLFormElement>('settings'),
  start: byId<HTMLButtonElement>('start'),
  stop: byId<HTMLButtonElement>('stop'),
  progress: byId<HTMLParagraphElement>('progress'),
  views: byId<HTMLCanvasElement>('views'),
  map: byId<HTMLCanvasElement>('map'),
  mapNote: byId<HTMLParagraphElement>('map-note'),
  legend: byId<HTMLUListElement>('legend'),
};

/** Text of the map's note before a run has drawn the map. */
const MAP_NOTE_BEFORE_RUN = ui.mapNote.textContent ?? '';

const parsed = parseSettings(location.search);
const state: DemoState = {
  status: 'starting',
  settings: parsed.settings,
  losses: [],
  knn: [],
  stepsPerSecond: 0,
  imagesPerSecond: 0,
  viewRefreshes: 0,
  tensorCounts: [],
  mapPoints: 0,
};
window.__demoState = state;

const lossChart = new LineChart(byId<SVGSVGElement & HTMLElement>('loss-chart'), {
  yLabel: 'NT-Xent loss',
  formatY: (value) => value.toFixed(2),
});
const knnChart = new LineChart(byId<SVGSVGElement & HTMLElement>('knn-chart'), {
  yLabel: 'top-1 accuracy',
  formatY: (value) => `${Math.round(value * 100)}%`,
  yRange: [0, 1],
  dots: true,
});

let data: LoadedData | undefined;
let views: ViewsGrid | undefined;
let run: TrainingRun | undefined;
/** Whether `autostart` still waits for the first data to load. */
let autostartPending = parsed.settings.autostart;

/** An error with one list item per problem. */
interface PageError {
  message: string;
  items: readonly string[];
}

/** Errors found while the page started (URL settings, backend fallback); they stay shown. */
const startupErrors: PageError[] = [];

/**
 * Shows the startup errors and, below them, `message` with a list of `items` in place
 * of the error shown before. Without a message, only the startup errors remain.
 */
function showError(message: string | undefined, items: readonly string[] = []): void {
  ui.error.replaceChildren();
  for (const error of startupErrors) {
    appendError(error);
  }
  if (message !== undefined) {
    appendError({ message, items });
  }
  ui.error.hidden = ui.error.childElementCount === 0;
  state.error = ui.error.hidden ? undefined : (ui.error.textContent ?? '');
}

/** Adds an error that stays shown for the rest of the page's life. */
function addStartupError(message: string, items: readonly string[] = []): void {
  startupErrors.push({ message, items });
  showError(undefined);
}

function appendError({ message, items }: PageError): void {
  const paragraph = document.createElement('p');
  paragraph.textContent = message;
  ui.error.append(paragraph);
  if (items.length > 0) {
    const list = document.createElement('ul');
    list.append(
      ...items.map((text) => {
        const item = document.createElement('li');
        item.textContent = text;
        return item;
      }),
    );
    ui.error.append(list);
  }
}

function showBackend(result: BackendChoiceResult): void {
  state.backend = result.backend;
  state.webgpuMissing = result.webgpuMissing;
  const detail = result.detail === '' ? '' : ` (${result.detail})`;
  const webgpuNote =
    result.webgpuMissing === undefined ? '' : `. WebGPU not used: ${result.webgpuMissing}`;
  ui.backendLabel.textContent = `${result.backend}${detail}${webgpuNote}`;
  ui.backendReasons.replaceChildren(
    ...result.candidates.map((candidate) => {
      const item = document.createElement('li');
      item.textContent = `${candidate.name}: ${candidate.reason}`;
      return item;
    }),
  );
  if (result.fallbackReason !== undefined) {
    addStartupError(result.fallbackReason);
  }
}

function fillForm(settings: DemoSettings): void {
  const field = (name: string) => ui.form.elements.namedItem(name) as HTMLInputElement;
  field('batch').value = String(settings.batchSize);
  field('lr').value = String(settings.learningRate);
  field('steps').value = String(settings.steps);
  field('knn').value = String(settings.knnEvery);
}

/**
 * Reads the form over the current settings. When a field is invalid, the errors list
 * each problem and the current settings are returned unchanged.
 */
function readForm(): DemoSettings {
  const query = new URLSearchParams();
  for (const name of ['batch', 'lr', 'steps', 'knn']) {
    query.set(name, (ui.form.elements.namedItem(name) as HTMLInputElement).value);
  }
  const { settings, problems } = parseSettings(query.toString(), state.settings);
  if (problems.length === 0) {
    showError(undefined);
    return settings;
  }
  showError('Invalid settings, so the run uses the previous ones:', problems);
  return state.settings;
}

async function useData(loaded: LoadedData): Promise<void> {
  data = loaded;
  state.dataSource = describeData(loaded, state.settings.trainLimit, state.settings.testLimit);
  ui.dataStatus.textContent = state.dataSource;
  views?.dispose();
  views = new ViewsGrid(
    ui.views,
    limit(loaded.sample.train, state.settings.trainLimit),
    state.settings.seed,
  );
  await views.refresh();
  state.viewRefreshes = views.refreshes;
  setStatus('ready');

  if (autostartPending) {
    autostartPending = false;
    await startTraining();
  }
}

function setStatus(status: DemoState['status']): void {
  state.status = status;
  const running = status === 'training' || status === 'stopping';
  ui.start.disabled = running || data === undefined;
  ui.stop.disabled = status !== 'training';
  ui.fileInput.disabled = running;
  for (const input of ui.form.querySelectorAll('input')) {
    input.disabled = running;
  }
}

async function onStep(report: StepReport): Promise<void> {
  state.losses.push(report.loss);
  state.stepsPerSecond = report.stepsPerSecond;
  state.imagesPerSecond = report.imagesPerSecond;
  lossChart.draw(
    state.losses.map((loss, index) => [index + 1, loss] as const),
    report.totalSteps,
  );
  const knn = state.knn.at(-1);
  ui.progress.textContent =
    `Step ${report.step} of ${report.totalSteps}: loss ${report.loss.toFixed(4)}, ` +
    `learning rate ${report.learningRate.toExponential(2)}, ` +
    `${report.stepsPerSecond.toFixed(2)} steps/s (${report.imagesPerSecond.toFixed(1)} images/s)` +
    (knn === undefined ? '' : `, kNN ${(knn.accuracy * 100).toFixed(1)}% at step ${knn.step}`) +
    '.';
  if (views !== undefined) {
    await views.refresh();
    state.viewRefreshes = views.refreshes;
  }
  state.tensorCounts.push(tf.memory().numTensors);
}

function onKnn(report: KnnReport, totalSteps: number): void {
  state.knn.push({ step: report.step, accuracy: report.accuracy });
  knnChart.draw(
    state.knn.map(({ step, accuracy }) => [step, accuracy] as const),
    totalSteps,
  );
  if (report.step === 0) {
    ui.progress.textContent = `kNN accuracy of the untrained encoder: ${(report.accuracy * 100).toFixed(1)}%.`;
  }
}

async function startTraining(): Promise<void> {
  if (data === undefined || run !== undefined) {
    return;
  }
  const settings = readForm();
  state.settings = settings;
  state.losses = [];
  state.tensorCounts = [];
  state.knn = [];
  state.mapPoints = 0;
  lossChart.draw([], settings.steps);
  knnChart.draw([], settings.steps);
  clearMap();
  setStatus('training');

  try {
    run = new TrainingRun(data.sample, settings, {
      onStep,
      onKnn: (report) => onKnn(report, settings.steps),
    });
    ui.progress.textContent = 'Measuring the kNN accuracy of the untrained encoder…';
    const result = await run.run();

    // After an early stop, the x axes end at the last step done rather than at `steps`.
    if (result.stopped) {
      const xMax = Math.max(1, result.stepsDone);
      lossChart.draw(
        state.losses.map((loss, index) => [index + 1, loss] as const),
        xMax,
      );
      knnChart.draw(
        state.knn.map(({ step, accuracy }) => [step, accuracy] as const),
        xMax,
      );
    }

    const explained = drawEmbeddingMap(ui.map, ui.legend, result.bankFeatures, result.bankLabels);
    state.mapPoints = result.bankFeatures.count;
    ui.mapNote.textContent =
      `Encoder features of ${result.bankFeatures.count.toLocaleString('en-US')} training images after ${result.stepsDone} steps, ` +
      `projected onto their first two principal components (${(explained[0] * 100).toFixed(0)}% and ` +
      `${(explained[1] * 100).toFixed(0)}% of the variance).`;
    const last = state.knn.at(-1);
    ui.progress.textContent =
      `${result.stopped ? 'Stopped' : 'Finished'} after ${result.stepsDone} steps` +
      (state.losses.length > 0 ? `: loss ${state.losses.at(-1)!.toFixed(4)}` : '') +
      (last === undefined ? '' : `, kNN accuracy ${(last.accuracy * 100).toFixed(1)}%`) +
      `, ${state.stepsPerSecond.toFixed(2)} steps/s.`;
    setStatus('done');
  } catch (error) {
    showError(`Training failed: ${error instanceof Error ? error.message : String(error)}`);
    setStatus(data === undefined ? 'needs-data' : 'ready');
  } finally {
    run = undefined;
  }
}

/** Empties the embedding map, its note and its legend, as before the first run. */
function clearMap(): void {
  ui.map.getContext('2d')?.clearRect(0, 0, ui.map.width, ui.map.height);
  ui.mapNote.textContent = MAP_NOTE_BEFORE_RUN;
  ui.legend.replaceChildren();
}

async function pickFile(): Promise<void> {
  const file = ui.fileInput.files?.[0];
  if (file === undefined) {
    return;
  }
  let loaded: LoadedData;
  try {
    showError(undefined);
    loaded = await readPickedFile(file);
  } catch (error) {
    // Empties the input, so it does not show a file that is not in use.
    ui.fileInput.value = '';
    const still =
      state.dataSource === undefined
        ? 'No data is loaded; pick another file.'
        : `Still using ${state.dataSource}.`;
    showError(`${error instanceof Error ? error.message : String(error)} ${still}`);
    return;
  }
  try {
    await useData(loaded);
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
}

async function boot(): Promise<void> {
  fillForm(state.settings);
  ui.start.addEventListener('click', () => void startTraining());
  ui.stop.addEventListener('click', () => {
    run?.stop();
    setStatus('stopping');
    ui.progress.textContent = 'Stopping after this step, then measuring kNN and drawing the map…';
  });
  ui.fileInput.addEventListener('change', () => void pickFile());

  if (parsed.problems.length > 0) {
    addStartupError('Ignored URL settings, which keep their defaults:', parsed.problems);
  }

  try {
    showBackend(await chooseBackend(state.settings.backend));
  } catch (error) {
    ui.backendLabel.textContent = 'none';
    addStartupError(error instanceof Error ? error.message : String(error));
    setStatus('error');
    return;
  }

  try {
    const sample = await fetchBuiltInSample();
    if (sample === undefined) {
      ui.dataStatus.textContent =
        'this page was built without the CIFAR-10 sample. Pick a CIFAR-10 binary batch file below ' +
        '(data_batch_1.bin … data_batch_5.bin or test_batch.bin from cifar-10-binary.tar.gz).';
      setStatus('needs-data');
      return;
    }
    await useData(sample);
  } catch (error) {
    ui.dataStatus.textContent = 'the built-in sample could not be read; pick a file below.';
    showError(error instanceof Error ? error.message : String(error));
    setStatus('needs-data');
  }
}

void boot();
