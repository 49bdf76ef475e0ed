// Charts drawn with uPlot (served from the npm package at /vendor/uplot/): time series for monitoring, grouped
// bars for the model comparison. Colours are the Okabe–Ito palette (told apart with colour-blindness too), and
// series after the first also differ by dash, so no two lines look alike.
import uPlot from '/vendor/uplot/uPlot.esm.js';

export const palette = ['#0072B2', '#E69F00', '#D55E00', '#009E73', '#CC79A7', '#56B4E9'];
const dashes = [undefined, [6, 4], [2, 3], [10, 3, 2, 3]];
const axisStyle = { stroke: '#6b7280', grid: { stroke: '#eceef2', width: 1 }, ticks: { stroke: '#e3e6eb', width: 1 } };

/** Keeps a chart as wide as its container. */
function followWidth(container, chart, height) {
  new ResizeObserver(() => {
    const width = Math.max(200, container.clientWidth);
    if (width !== chart.width) chart.setSize({ width, height });
  }).observe(container);
}

/**
 * A line chart over time in `container`. `series`: `{ label, unit? }`; `options.max` fixes the top of the
 * y axis (a ratio's 1). Returns `update(times, values)` with times in ms and one array of values per series
 * (null leaves a gap).
 */
export function createTimeChart(container, series, options = {}) {
  const height = options.height ?? 170;
  const chart = new uPlot(
    {
      width: Math.max(200, container.clientWidth),
      height,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_chart, _min, max) => [0, options.max ?? niceMax(max)] } },
      axes: [
        { ...axisStyle, values: '{HH}:{mm}:{ss}', space: 70 },
        { ...axisStyle, size: 52, values: (_chart, ticks) => ticks.map(formatTick) },
      ],
      series: [
        { label: 'Time', value: '{HH}:{mm}:{ss}' },
        ...series.map((item, index) => ({
          label: item.label,
          stroke: palette[index % palette.length],
          width: 2,
          dash: dashes[index % dashes.length],
          points: { show: false },
          value: (_chart, value) => (value == null ? '–' : `${formatTick(value)}${item.unit ?? ''}`),
        })),
      ],
    },
    [[], ...series.map(() => [])],
    container,
  );
  followWidth(container, chart, height);
  return (times, values) => {
    chart.setData([times.map((time) => time / 1000), ...values]);
    container.dataset.points = String(values.flat().filter((value) => typeof value === 'number').length);
    container.dataset.lastTime = String(times.at(-1) ?? 0);
  };
}

/**
 * Grouped bars: one group per category (a model), one bar per series (a figure), in `container`. Returns
 * `update(categories, values)` with one array per series.
 */
export function createBarChart(container, series, options = {}) {
  const height = options.height ?? 220;
  let categories = [];
  const groupWidth = 0.7;
  const barWidth = groupWidth / series.length;
  const chart = new uPlot(
    {
      width: Math.max(200, container.clientWidth),
      height,
      legend: { live: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: (_chart, min, max) => [min - 0.5, max + 0.5] },
        y: { range: (_chart, _min, max) => [0, niceMax(max)] },
      },
      axes: [
        {
          ...axisStyle,
          splits: () => categories.map((_, index) => index),
          values: (_chart, ticks) => ticks.map((tick) => categories[tick] ?? ''),
          grid: { show: false },
        },
        { ...axisStyle, size: 52, values: (_chart, ticks) => ticks.map(formatTick) },
      ],
      series: [
        {},
        ...series.map((item, index) => ({
          label: item.label,
          fill: palette[index % palette.length],
          stroke: palette[index % palette.length],
          width: 0,
          points: { show: false },
          // Bars of a group side by side: each series' bar starts at its own offset from the group's centre
          // (x values and widths in category units).
          paths: uPlot.paths.bars({
            disp: {
              x0: { unit: 1, values: (chart) => chart.data[0].map((x) => x - groupWidth / 2 + barWidth * index) },
              size: { unit: 1, values: () => [barWidth * 0.92] },
            },
          }),
        })),
      ],
    },
    [[], ...series.map(() => [])],
    container,
  );
  followWidth(container, chart, height);
  return (names, values) => {
    categories = names;
    chart.setData([names.map((_, index) => index), ...values]);
    container.dataset.points = String(values.flat().filter((value) => typeof value === 'number').length);
  };
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (value <= factor * power) return factor * power;
  return 10 * power;
}

function formatTick(value) {
  if (value == null) return '';
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (Math.abs(value) >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(Math.abs(value) >= 1 ? 1 : 2);
}
