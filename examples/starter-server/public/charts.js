// A small line chart on <canvas>: no dependencies, redrawn from the whole series each time.
const palette = ['#3056d3', '#d97706', '#b42318', '#13795b'];

/**
 * Draws `series` (arrays of numbers or null, same length) on `canvas`, with a y axis from 0 to the maximum
 * (or `fixedMax`) and a legend. Nulls break the line.
 */
export function drawLineChart(canvas, series, options = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const left = 44;
  const right = 8;
  const top = 18;
  const bottom = 16;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const values = series.flatMap((line) => line.values.filter((value) => typeof value === 'number'));
  const max = options.fixedMax ?? niceMax(Math.max(0, ...values));
  context.font = '11px system-ui, sans-serif';
  context.strokeStyle = '#e3e6eb';
  context.fillStyle = '#6b7280';
  context.lineWidth = 1;
  for (let step = 0; step <= 4; step++) {
    const y = top + plotHeight - (plotHeight * step) / 4;
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(width - right, y);
    context.stroke();
    context.fillText(formatTick((max * step) / 4), 4, y + 4);
  }
  series.forEach((line, index) => {
    const color = palette[index % palette.length];
    const count = line.values.length;
    context.strokeStyle = color;
    context.lineWidth = 2;
    context.beginPath();
    let drawing = false;
    line.values.forEach((value, position) => {
      if (typeof value !== 'number') {
        drawing = false;
        return;
      }
      const x = left + (count <= 1 ? plotWidth : (plotWidth * position) / (count - 1));
      const y = top + plotHeight - (max === 0 ? 0 : (plotHeight * Math.min(value, max)) / max);
      if (drawing) context.lineTo(x, y);
      else context.moveTo(x, y);
      drawing = true;
    });
    context.stroke();
    context.fillStyle = color;
    context.fillText(line.label, left + 6 + index * 70, 11);
  });
  if (values.length === 0) {
    context.fillStyle = '#6b7280';
    context.fillText('no data yet', left + plotWidth / 2 - 28, top + plotHeight / 2);
  }
  canvas.dataset.points = String(values.length);
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (value <= factor * power) return factor * power;
  return 10 * power;
}

function formatTick(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (value >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(value >= 1 ? 1 : 2);
}
