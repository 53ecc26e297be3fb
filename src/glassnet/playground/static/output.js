// The output panel: the decision regions (or a neuron's map, while it is hovered), the points,
// the legends of its colours, the sample chosen for the formula panel, and the loss chart.
"use strict";

import {page, $, hooks} from "./state.js";
import {CLASS_COLOURS, decoded, mapImage, neuronPaint, paintDiverging, rgb, scaleGradient}
  from "./colours.js";

const MAX_HISTORY = 2000;  // points the loss chart keeps: older ones are thinned out

// ------------------------------------------------------------------ the regions
function toCanvas(bounds, canvas) {
  const [[x0, x1], [y0, y1]] = bounds;
  return (x, y) => [
    (x - x0) / (x1 - x0) * canvas.width,
    (1 - (y - y0) / (y1 - y0)) * canvas.height,
  ];
}

function regionImage(regions, size) {
  const key = page.view.discretize ? "_discrete" : "_image";
  if (regions[key]) return regions[key];
  const image = new ImageData(size, size);
  regions[key] = image;
  if (regions.value) {
    const value = decoded(regions, "value");
    for (let i = 0; i < value.length; i++) {
      // Discretised, a value lands in one of eight bands.
      const t = page.view.discretize ? (Math.min(7, Math.floor(value[i] / 32)) + 0.5) / 8 :
        value[i] / 255;
      paintDiverging(image, i, t);
    }
    return image;
  }
  const label = decoded(regions, "label");
  const confidence = decoded(regions, "confidence");
  for (let i = 0; i < label.length; i++) {
    const colour = CLASS_COLOURS[label[i] % CLASS_COLOURS.length];
    const strength = page.view.discretize ? 0.6 : 0.15 + 0.55 * confidence[i] / 255;
    for (let c = 0; c < 3; c++) image.data[4 * i + c] = 255 - (255 - colour[c]) * strength;
    image.data[4 * i + 3] = 255;
  }
  return image;
}

export function drawImage(canvas, image, smooth = true) {
  const buffer = page.buffer || (page.buffer = document.createElement("canvas"));
  buffer.width = image.width;
  buffer.height = image.height;
  buffer.getContext("2d").putImageData(image, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = smooth;
  context.drawImage(buffer, 0, 0, canvas.width, canvas.height);
}

// The map of the neuron being hovered, when there is one: {values, low, high, name}.
export function previewMap() {
  const {preview, state, data} = page;
  if (!preview || !state || !data || data.features.length !== 2) return null;
  if (preview.layer === 0) {
    const input = data.inputs[preview.index];
    return input && {values: decoded(input, "map"), low: input.low, high: input.high,
      name: `input ${input.name}`};
  }
  const maps = state.neurons && state.neurons[preview.layer - 1];
  const map = maps && maps[preview.index];
  return map && {values: decoded(map, "map"), low: map.low, high: map.high,
    name: `neuron ${preview.index + 1} of layer ${preview.layer}`};
}

export function drawRegions() {
  const canvas = $("regions");
  const context = canvas.getContext("2d");
  const {state, data} = page;
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (!state || !data) return;
  const oneFeature = data.features.length === 1;
  const place = toCanvas(data.bounds, canvas);
  const preview = previewMap();
  $("output-title").textContent = preview ? `Output: showing ${preview.name}` : "Output";
  if (preview) drawImage(canvas, mapImage(preview.values, data.grid, neuronPaint()));
  else if (state.regions) {
    // Discretised, the regions keep sharp edges: no blend of two classes between cells.
    drawImage(canvas, regionImage(state.regions, data.grid), !page.view.discretize);
  }
  if (state.perceptron && !preview) drawBoundary(context, place, state.perceptron);
  drawPoints(context, place, oneFeature);
  if (state.curve) drawCurve(context, place, state.curve);
  const chosen = data[page.sample.split].x[page.sample.index];
  if (chosen) {
    const target = data[page.sample.split].y[page.sample.index];
    const [px, py] = oneFeature ? place(chosen[0], target) : place(chosen[0], chosen[1]);
    context.beginPath();
    context.arc(px, py, 8, 0, 2 * Math.PI);
    context.strokeStyle = "#111";
    context.lineWidth = 2;
    context.stroke();
  }
  describeSample();
  drawLegend(preview);
}

// One path per colour and split: a few hundred points cost a handful of draw calls.
function drawPoints(context, place, oneFeature) {
  const {data} = page;
  // A handful of points (a gate, a book's table) drawn larger, to be seen on their region.
  const radius = data.train.x.length + data.test.x.length <= 20 ? 6 : 3.5;
  for (const split of page.view.test ? ["train", "test"] : ["train"]) {
    const {x, y} = data[split];
    const groups = new Map();
    for (let i = 0; i < x.length; i++) {
      const key = pointColourKey(y[i], oneFeature);
      if (!groups.has(key)) groups.set(key, new Path2D());
      const [px, py] = oneFeature ? place(x[i][0], y[i]) : place(x[i][0], x[i][1]);
      const path = groups.get(key);
      path.moveTo(px + radius, py);
      path.arc(px, py, radius, 0, 2 * Math.PI);
    }
    for (const [key, path] of groups) {
      context.fillStyle = pointColour(key);
      context.strokeStyle = split === "train" ? "#fff" : "#000";
      context.lineWidth = split === "train" ? (radius > 4 ? 2 : 1) : 1.5;
      context.fill(path);
      context.stroke(path);
    }
  }
}

function drawCurve(context, place, curve) {
  context.beginPath();
  context.strokeStyle = "rgb(8,119,189)";
  context.lineWidth = 2.5;
  const [x0, x1] = page.data.bounds[0];
  curve.forEach((value, i) => {
    const [px, py] = place(x0 + (x1 - x0) * i / (curve.length - 1), value);
    if (i === 0) context.moveTo(px, py); else context.lineTo(px, py);
  });
  context.stroke();
}

function targetRange() {
  const {data} = page;
  if (!data.range) {
    let [low, high] = [Infinity, -Infinity];
    for (const side of [data.train.y, data.test.y]) {
      for (const value of side) [low, high] = [Math.min(low, value), Math.max(high, value)];
    }
    data.range = [low, high];
  }
  return data.range;
}

// Points are grouped by colour: a class, one of 16 shades of a regression target, or grey
// for a one-feature plot (where the target is the height).
function pointColourKey(target, oneFeature) {
  const {data} = page;
  if (oneFeature) return "grey";
  if (data.task === "classification") return `class ${target % CLASS_COLOURS.length}`;
  const [low, high] = targetRange();
  return `shade ${Math.round(15 * (target - low) / (high - low || 1))}`;
}

function pointColour(key) {
  const [kind, value] = key.split(" ");
  if (kind === "grey") return "#555";
  if (kind === "class") return rgb(CLASS_COLOURS[value]);
  const swatch = new ImageData(1, 1);
  paintDiverging(swatch, 0, Number(value) / 15);
  return `rgb(${swatch.data[0]},${swatch.data[1]},${swatch.data[2]})`;
}

// The perceptron's boundary z = w1*x1 + w2*x2 + b - theta = 0 across the plot, and the
// edges of Fausett's undecided band z = -band and z = band, fainter.
function drawBoundary(context, place, perceptron) {
  const lines = [[0, "#111", 2]];
  if (perceptron.band) lines.push([-perceptron.band, "#555", 1], [perceptron.band, "#555", 1]);
  for (const [level, colour, width] of lines) {
    const ends = boundaryEnds(perceptron, level);
    if (!ends) continue;
    context.beginPath();
    context.moveTo(...place(...ends[0]));
    context.lineTo(...place(...ends[1]));
    context.strokeStyle = colour;
    context.lineWidth = width;
    context.setLineDash([6, 4]);
    context.stroke();
  }
  context.setLineDash([]);
}

// Where w1*x1 + w2*x2 + b - theta = level crosses the plot's edges (null: no such line).
function boundaryEnds(perceptron, level) {
  const [w1, w2] = perceptron.weights;
  const b = (perceptron.bias || 0) - (perceptron.threshold || 0) - level;
  const [[x0, x1], [y0, y1]] = page.data.bounds;
  if (Math.abs(w2) > 1e-12) return [[x0, -(w1 * x0 + b) / w2], [x1, -(w1 * x1 + b) / w2]];
  if (Math.abs(w1) > 1e-12) return [[-b / w1, y0], [-b / w1, y1]];
  return null;
}

const short = (value) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ?
  value.toExponential(2) : Number(value.toPrecision(3)).toString());

// What the colours mean: the classes, or the scale of the values and of the neuron maps.
function drawLegend(preview) {
  const {data} = page;
  const box = $("colour-legend");
  box.textContent = "";
  const add = (html) => {
    const item = document.createElement("span");
    item.innerHTML = html;
    box.append(item);
  };
  if (preview) {
    add(`<i class="scale" style="background:${scaleGradient(neuronPaint())}"></i> ` +
      `${short(preview.low)} to ${short(preview.high)}`);
  } else if (data.task === "classification" && data.features.length === 2) {
    data.classes.forEach((name, k) => {
      const item = document.createElement("span");
      const dot = document.createElement("i");
      dot.className = "swatch";
      dot.style.background = rgb(CLASS_COLOURS[k % CLASS_COLOURS.length]);
      item.append(dot, ` ${data.target} ${name}`);
      box.append(item);
    });
  } else if (data.features.length === 2) {
    const regions = page.state && page.state.regions;
    const [low, high] = regions && regions.value ? [regions.low, regions.high] : targetRange();
    add(`<i class="scale" style="background:${scaleGradient(paintDiverging)}"></i> ` +
      `${data.target} ${short(low)} to ${short(high)}`);
  }
  const neurons = document.createElement("span");
  neurons.className = "neuron-scale";
  neurons.innerHTML = `neuron maps <i class="scale" style="background:` +
    `${scaleGradient(neuronPaint())}"></i> low to high`;
  if (!preview) box.append(neurons);
}

// ------------------------------------------------------------------ the chosen sample
function samples() {
  const {data} = page;
  const sides = page.view.test ? ["train", "test"] : ["train"];
  return sides.flatMap((split) => data[split].x.map((_, index) => ({split, index})));
}

function describeSample() {
  const {data, sample} = page;
  const canvas = $("regions");
  const x = data[sample.split].x[sample.index];
  const all = samples();
  const position = all.findIndex((s) => s.split === sample.split && s.index === sample.index);
  canvas.setAttribute("aria-valuemin", "0");
  canvas.setAttribute("aria-valuemax", String(Math.max(0, all.length - 1)));
  canvas.setAttribute("aria-valuenow", String(Math.max(0, position)));
  if (!x) {
    $("sample-label").textContent = "";
    canvas.setAttribute("aria-valuetext", "no sample");
    return;
  }
  const y = data[sample.split].y[sample.index];
  const target = data.task === "classification" ? `${data.target} ${data.classes[y]}` :
    `${data.target} = ${short(y)}`;
  const where = x.map((value, k) => `${data.features[k]} = ${short(value)}`).join(", ");
  const side = sample.split === "train" ? "training" : "test";
  $("sample-label").textContent = `selected: ${sample.split} sample ${sample.index}`;
  canvas.setAttribute("aria-valuetext", `${side} sample ${sample.index}: ${where}, ${target}`);
}

function chooseSample(choice) {
  page.sample = choice;
  drawRegions();
  if (page.selected) hooks.refreshFormula();
}

export function pickSample(event) {
  const {data} = page;
  if (!data) return;
  const canvas = $("regions");
  const rect = canvas.getBoundingClientRect();
  const cx = (event.clientX - rect.left) * canvas.width / rect.width;
  const cy = (event.clientY - rect.top) * canvas.height / rect.height;
  const place = toCanvas(data.bounds, canvas);
  let best = null;
  for (const choice of samples()) {
    const x = data[choice.split].x[choice.index];
    const oneFeature = data.features.length === 1;
    const [px, py] = oneFeature ? place(x[0], data[choice.split].y[choice.index]) :
      place(x[0], x[1]);
    const distance = (px - cx) ** 2 + (py - cy) ** 2;
    if (!best || distance < best.distance) best = {...choice, distance};
  }
  if (best) chooseSample({split: best.split, index: best.index});
}

// The keyboard moves through the samples, the training ones first: the canvas is a slider.
export function sampleKeys(event) {
  if (!page.data) return;
  const all = samples();
  const now = all.findIndex((s) => s.split === page.sample.split && s.index === page.sample.index);
  const moves = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, PageDown: 10,
    PageUp: -10};
  let next = null;
  if (event.key in moves) next = Math.max(0, Math.min(all.length - 1, now + moves[event.key]));
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = all.length - 1;
  if (next === null || !all.length) return;
  event.preventDefault();
  chooseSample(all[next]);
}

// ------------------------------------------------------------------ the loss chart
// One point per epoch shown, thinned to every other one (and the stride doubled) when there
// are too many: a run of any length keeps at most MAX_HISTORY points.
export function recordLoss(epoch, train, test) {
  const history = page.history;
  const points = history.points;
  const last = points[points.length - 1];
  if (last && last.epoch === epoch) {
    Object.assign(last, {train, test});  // the same epoch again: a live change, an edit
    return;
  }
  const before = points[points.length - 2];
  if (last && before && epoch - before.epoch < history.stride) points.pop();
  points.push({epoch, train, test});
  if (points.length > MAX_HISTORY) {
    history.points = points.filter((p, i) => i % 2 === 0 || i === points.length - 1);
    history.stride *= 2;
  }
}

export function drawLosses() {
  const canvas = $("losses");
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  const points = page.history.points;
  let top = 0;
  for (const p of points) {  // a loop, not Math.max(...values): any length of history
    if (p.train !== null && p.train > top) top = p.train;
    if (p.test !== null && p.test > top) top = p.test;
  }
  top = top || 1;
  const last = points.length ? points[points.length - 1].epoch || 1 : 1;
  const pad = 24;
  context.fillStyle = "#555";
  context.font = "11px sans-serif";
  context.fillText(`loss (top ${top.toPrecision(3)})`, pad, 12);
  context.fillText(`epoch ${last}`, canvas.width - 70, canvas.height - 4);
  if (points.length < 2) return;
  for (const [key, colour, dash] of [["train", "#0877bd", []], ["test", "#c25e00", [5, 3]]]) {
    context.beginPath();
    context.setLineDash(dash);
    context.strokeStyle = colour;
    context.lineWidth = 2;
    let started = false;
    for (const p of points) {
      if (p[key] === null) continue;
      const x = pad + (canvas.width - 2 * pad) * p.epoch / last;
      const y = canvas.height - pad - (canvas.height - 2 * pad) * p[key] / top;
      if (started) context.lineTo(x, y); else context.moveTo(x, y);
      started = true;
    }
    context.stroke();
  }
  context.setLineDash([]);
  const end = points[points.length - 1];
  const text = (v) => (v === null ? "none" : v.toPrecision(4));
  canvas.setAttribute("aria-label", `loss by epoch, up to epoch ${end.epoch}: training ` +
    `${text(end.train)}, test ${text(end.test)}`);
}
