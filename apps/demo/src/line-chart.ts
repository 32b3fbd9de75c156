const SVG_NS = 'http://www.w3.org/2000/svg';

/** Options of {@link LineChart}. */
export interface LineChartOptions {
  /** Label of the y axis, e.g. 'NT-Xent loss'. */
  yLabel: string;
  /** Formats a y tick value. */
  formatY: (value: number) => string;
  /** Fixed y range; by default it spans the data. */
  yRange?: [number, number];
  /** Draws a dot on every point; for sparse series such as kNN accuracy. Default false. */
  dots?: boolean;
}

const WIDTH = 440;
const HEIGHT = 200;
const MARGIN = { left: 64, right: 12, top: 12, bottom: 30 };

/**
 * A line chart in an SVG element: step on the x axis, one series. The element's
 * `data-points` attribute contains the number of points drawn, and `data-x-max` the
 * last step on the x axis.
 */
export class LineChart {
  private readonly plot: SVGGElement;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly options: LineChartOptions,
  ) {
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', options.yLabel);
    this.plot = element('g');
    svg.replaceChildren(this.plot);
    this.draw([], 1);
  }

  /** Redraws the chart with `points` as [step, value] pairs and the x axis from 0 to `xMax`. */
  draw(points: readonly (readonly [number, number])[], xMax: number): void {
    const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
    const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    const values = points.map(([, y]) => y);
    let [yMin, yMax] = this.options.yRange ?? [Math.min(...values), Math.max(...values)];
    if (!Number.isFinite(yMin) || !Number.isFinite(yMax)) {
      [yMin, yMax] = [0, 1];
    }
    if (yMax - yMin < 1e-9) {
      [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
    }
    const x = (step: number) => MARGIN.left + (step / Math.max(1, xMax)) * innerWidth;
    const y = (value: number) => MARGIN.top + (1 - (value - yMin) / (yMax - yMin)) * innerHeight;

    const children: SVGElement[] = [];
    for (let tick = 0; tick <= 4; tick++) {
      const value = yMin + ((yMax - yMin) * tick) / 4;
      children.push(
        element('line', {
          x1: MARGIN.left,
          x2: WIDTH - MARGIN.right,
          y1: y(value),
          y2: y(value),
          class: 'grid',
        }),
        text(this.options.formatY(value), MARGIN.left - 6, y(value) + 4, 'end'),
      );
    }
    children.push(
      text('0', MARGIN.left, HEIGHT - 10, 'start'),
      text(String(Math.round(xMax)), WIDTH - MARGIN.right, HEIGHT - 10, 'end'),
      text('step', MARGIN.left + innerWidth / 2, HEIGHT - 10, 'middle'),
    );
    const yTitle = text(this.options.yLabel, 0, 0, 'middle');
    yTitle.setAttribute('transform', `translate(12 ${MARGIN.top + innerHeight / 2}) rotate(-90)`);
    children.push(yTitle);

    const coordinates = points.map(
      ([step, value]) => `${x(step).toFixed(1)},${y(value).toFixed(1)}`,
    );
    children.push(element('polyline', { points: coordinates.join(' '), class: 'series' }));
    if (this.options.dots === true) {
      for (const [step, value] of points) {
        children.push(element('circle', { cx: x(step), cy: y(value), r: 3, class: 'dot' }));
      }
    }

    this.plot.replaceChildren(...children);
    this.svg.dataset['points'] = String(points.length);
    this.svg.dataset['xMax'] = String(xMax);
  }
}

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  return node;
}

function text(content: string, x: number, y: number, anchor: string): SVGTextElement {
  const node = element('text', { x, y, 'text-anchor': anchor });
  node.textContent = content;
  return node;
}
