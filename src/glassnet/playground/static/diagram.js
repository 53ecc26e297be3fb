// The network diagram: one small canvas per neuron (its map over the grid) over one canvas
// holding the weights and the biases, and the buttons that add and remove layers and neurons.
// A weight or a bias is chosen with the mouse, or with the arrow keys on the diagram.
"use strict";

import {page, $, hooks} from "./state.js";
import {decoded, mapImage, neuronPaint, paintDiverging} from "./colours.js";

const LABEL_MARGIN = 58;  // room for the inputs' names, left of the input neurons

function layerSizes() {
  const {state, data} = page;
  if (state.perceptron) return [2, 1];
  return [data.inputs.length, ...state.weights.map((w) => w[0].length)];
}

const samePlace = (a, b) => Boolean(a && b) && a.layer === b.layer && a.neuron === b.neuron &&
  a.source === b.source;

// The diagram is built once per architecture and width: the weights on one canvas (redrawn
// each frame, far cheaper than restyling an SVG line per weight) under the neurons' canvases.
export function drawNetwork() {
  const box = $("network");
  const {state, data} = page;
  if (!state || !data) return;
  const sizes = layerSizes();
  const names = data.inputs.map((input) => input.name);
  const signature = `${sizes.join("-")}|${names.join(",")}|${box.clientWidth}`;
  if (!page.diagram || page.diagram.signature !== signature) buildNetwork(box, sizes, signature);
  drawWeights();
  for (const neuron of page.diagram.neurons) {
    drawNeuron(neuron.canvas, neuron.layer, neuron.index);
    const picked = page.selected && page.selected.source === null &&
      page.selected.layer === neuron.layer && page.selected.neuron === neuron.index;
    neuron.canvas.classList.toggle("selected", Boolean(picked));
  }
  layerButtons(sizes);
}

// The value of a weight or a bias of the diagram, from the state on screen.
export function valueOf(item) {
  const {state} = page;
  if (state.perceptron) {
    return item.source === "bias" ? state.perceptron.bias || 0 :
      state.perceptron.weights[item.source];
  }
  return item.source === "bias" ? state.biases[item.layer - 1][item.neuron] :
    state.weights[item.layer - 1][item.source][item.neuron];
}

export function nameOf(item) {
  const depth = page.diagram.depth;
  const tag = depth === 1 ? "" : `[${item.layer}]`;
  return item.source === "bias" ? `b${tag}_${item.neuron + 1}` :
    `W${tag}_${item.source + 1}${item.neuron + 1}`;
}

function describe(item) {
  const from = item.source === "bias" ? "bias" : item.layer === 1 ?
    `from input ${page.data.inputs[item.source].name}` : `from neuron ${item.source + 1} of ` +
    `layer ${item.layer - 1}`;
  return `${nameOf(item)} = ${valueOf(item).toPrecision(4)}, ${from} into neuron ` +
    `${item.neuron + 1} of layer ${item.layer}`;
}

function drawWeights() {
  const diagram = page.diagram;
  const {canvas, lines, biases, ratio, hover} = diagram;
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  const values = lines.map(valueOf);
  let largest = 1e-9;
  for (const v of values) largest = Math.max(largest, Math.abs(v));
  const marked = [];
  lines.forEach((line, k) => {
    const w = values[k];
    context.beginPath();
    context.moveTo(line.x1, line.y1);
    context.lineTo(line.x2, line.y2);
    context.strokeStyle = w >= 0 ? "rgba(8, 119, 189, 0.8)" : "rgba(245, 147, 34, 0.8)";
    context.lineWidth = 0.5 + 5 * Math.abs(w) / largest;
    context.stroke();
    if (samePlace(line, page.selected) || line === hover || line === diagram.focusItem) {
      marked.push([line, context.lineWidth]);
    }
  });
  for (const [line, width] of marked) {  // the chosen, hovered and focused weight, on top
    context.beginPath();
    context.moveTo(line.x1, line.y1);
    context.lineTo(line.x2, line.y2);
    context.strokeStyle = line === diagram.focusItem ? "#1a5fd0" : "#111";
    context.lineWidth = Math.max(width, line === diagram.focusItem ? 3 : 2);
    context.setLineDash(line === diagram.focusItem && !samePlace(line, page.selected) ?
      [4, 3] : []);
    context.stroke();
    context.setLineDash([]);
  }
  let largestBias = 1e-9;
  for (const bias of biases) largestBias = Math.max(largestBias, Math.abs(valueOf(bias)));
  for (const bias of biases) {  // a small square left of the neuron's lower corner
    const swatch = new ImageData(1, 1);
    paintDiverging(swatch, 0, 0.5 + 0.5 * valueOf(bias) / largestBias);
    context.fillStyle = `rgb(${swatch.data[0]},${swatch.data[1]},${swatch.data[2]})`;
    context.fillRect(bias.x, bias.y, bias.size, bias.size);
    const picked = samePlace(bias, page.selected);
    const focused = bias === diagram.focusItem;
    context.strokeStyle = focused ? "#1a5fd0" : picked || bias === hover ? "#111" : "#777";
    context.lineWidth = picked || focused || bias === hover ? 2 : 1;
    context.strokeRect(bias.x, bias.y, bias.size, bias.size);
  }
  context.fillStyle = "#333";
  context.font = "11px sans-serif";
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const label of diagram.labels) context.fillText(label.text, label.x, label.y);
  context.textAlign = "start";
  context.textBaseline = "alphabetic";
}

// The bias square, or the weight whose line passes within 6 pixels, at a point of the diagram.
function itemAt(x, y) {
  const diagram = page.diagram;
  for (const bias of diagram.biases) {
    if (x >= bias.x - 3 && x <= bias.x + bias.size + 3 && y >= bias.y - 3 &&
        y <= bias.y + bias.size + 3) return bias;
  }
  let best = null;
  let bestDistance = 6;
  for (const line of diagram.lines) {
    const [dx, dy] = [line.x2 - line.x1, line.y2 - line.y1];
    const along = ((x - line.x1) * dx + (y - line.y1) * dy) / (dx * dx + dy * dy);
    const t = Math.max(0, Math.min(1, along));
    const distance = Math.hypot(line.x1 + t * dx - x, line.y1 + t * dy - y);
    if (distance < bestDistance) [best, bestDistance] = [line, distance];
  }
  return best;
}

function geometry(box, sizes) {
  const width = box.clientWidth || 460;
  const columns = sizes.length;
  const node = Math.max(22, Math.min(40, Math.floor((width - LABEL_MARGIN - 20) /
    (columns * 1.7))));
  const gap = Math.round(node * 0.3) + 6;
  let tallest = 1;
  for (const size of sizes) tallest = Math.max(tallest, size);
  const height = tallest * (node + gap) + 14;
  const column = (l) => LABEL_MARGIN + (width - LABEL_MARGIN - node - 6) * l / (columns - 1);
  const top = (l, j) => (height - sizes[l] * (node + gap)) / 2 + j * (node + gap) + gap / 2;
  return {width, height, node, column, top};
}

function buildNetwork(box, sizes, signature) {
  box.textContent = "";
  const {width, height, node, column, top} = geometry(box, sizes);
  box.style.height = `${height}px`;
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.className = "weights";
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "slider");
  canvas.setAttribute("aria-label", "the weights and biases: arrow keys choose one");
  box.append(canvas);
  const perceptron = Boolean(page.state.perceptron);
  const diagram = {signature, canvas, ratio, lines: [], biases: [], neurons: [], labels: [],
    hover: null, focusItem: null, cursor: 0, column, node, depth: sizes.length - 1};
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let j = 0; j < sizes[l + 1]; j++) {
      for (let i = 0; i < sizes[l]; i++) {
        diagram.lines.push({layer: l + 1, neuron: j, source: i,
          x1: column(l) + node, y1: top(l, i) + node / 2,
          x2: column(l + 1), y2: top(l + 1, j) + node / 2});
      }
      if (!perceptron || page.state.perceptron.bias !== null) {
        diagram.biases.push({layer: l + 1, neuron: j, source: "bias", size: 10,
          x: column(l + 1) - 13, y: top(l + 1, j) + node - 10});
      }
    }
  }
  page.data.inputs.forEach((input, j) => diagram.labels.push({
    text: input.name.length > 9 ? `${input.name.slice(0, 8)}…` : input.name,
    x: column(0) - 5, y: top(0, j) + node / 2}));
  page.diagram = diagram;
  listen(canvas, diagram);
  sizes.forEach((size, l) => {
    for (let j = 0; j < size; j++) box.append(neuronCanvas(sizes, l, j, column, top, node));
  });
}

// Every weight, then the bias, of each neuron, layer by layer: the keyboard's order.
const keyItems = (diagram) => [...diagram.lines, ...diagram.biases].sort((a, b) =>
  a.layer - b.layer || a.neuron - b.neuron ||
  (a.source === "bias" ? 1e9 : a.source) - (b.source === "bias" ? 1e9 : b.source));

function listen(canvas, diagram) {
  canvas.addEventListener("mousemove", (event) => {
    const item = itemAt(event.offsetX, event.offsetY);
    if (item === diagram.hover) return;
    diagram.hover = item;
    canvas.style.cursor = item ? "pointer" : "";
    canvas.title = item ? describe(item) : "";
    drawWeights();
  });
  canvas.addEventListener("mouseleave", () => {  // the hover mark goes with the pointer
    diagram.hover = null;
    canvas.title = "";
    drawWeights();
  });
  canvas.addEventListener("click", (event) => {
    const item = itemAt(event.offsetX, event.offsetY);
    if (!item) return;
    diagram.cursor = Math.max(0, keyItems(diagram).indexOf(item));  // the keys go on from it
    hooks.select({layer: item.layer, neuron: item.neuron, source: item.source});
  });
  canvas.addEventListener("focus", () => {
    if (!canvas.matches(":focus-visible")) return;  // a click's focus: the click chooses
    const items = keyItems(diagram);
    const chosen = items.findIndex((item) => samePlace(item, page.selected));
    diagram.cursor = chosen >= 0 ? chosen : Math.min(diagram.cursor, items.length - 1);
    showCursor(diagram, items);
  });
  canvas.addEventListener("blur", () => {
    diagram.focusItem = null;
    drawWeights();
  });
  canvas.addEventListener("keydown", (event) => {
    const items = keyItems(diagram);
    const moves = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, PageDown: 10,
      PageUp: -10};
    if (event.key in moves) {
      diagram.cursor = Math.max(0, Math.min(items.length - 1, diagram.cursor + moves[event.key]));
    } else if (event.key === "Home") {
      diagram.cursor = 0;
    } else if (event.key === "End") {
      diagram.cursor = items.length - 1;
    } else if (event.key !== "Enter" && event.key !== " ") {
      return;
    }
    event.preventDefault();
    showCursor(diagram, items);
    const item = items[diagram.cursor];
    hooks.select({layer: item.layer, neuron: item.neuron, source: item.source});
  });
}

function showCursor(diagram, items) {
  const item = items[diagram.cursor];
  diagram.focusItem = item || null;
  diagram.canvas.setAttribute("aria-valuemin", "0");
  diagram.canvas.setAttribute("aria-valuemax", String(items.length - 1));
  diagram.canvas.setAttribute("aria-valuenow", String(diagram.cursor));
  if (item) diagram.canvas.setAttribute("aria-valuetext", describe(item));
  drawWeights();
}

function neuronCanvas(sizes, l, j, column, top, node) {
  const neuron = document.createElement("canvas");
  neuron.className = "neuron";
  Object.assign(neuron.style, {left: `${column(l)}px`, top: `${top(l, j)}px`,
    width: `${node}px`, height: `${node}px`});
  const place = {layer: l, index: j};
  neuron.addEventListener("mouseenter", () => hooks.preview(place));
  neuron.addEventListener("mouseleave", () => hooks.preview(null));
  if (l > 0) {
    const kind = l === sizes.length - 1 ? "output" : "hidden";
    neuron.classList.add("clickable", kind);
    neuron.title = `${kind} neuron ${j + 1} of layer ${l}`;
    neuron.setAttribute("aria-label", `${kind} neuron ${j + 1} of layer ${l}: its formula`);
    neuron.tabIndex = 0;  // reachable from the keyboard: Tab to it, Enter to explain it
    neuron.setAttribute("role", "button");
    const target = {layer: l, neuron: j, source: null};
    neuron.addEventListener("click", () => hooks.select(target));
    neuron.addEventListener("focus", () => hooks.preview(place));
    neuron.addEventListener("blur", () => hooks.preview(null));
    neuron.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        hooks.select(target);
      }
    });
  } else {
    const name = page.data.inputs[j].name;
    neuron.title = `input ${name}`;
    neuron.setAttribute("role", "img");
    neuron.setAttribute("aria-label", `input ${name}`);
  }
  page.diagram.neurons.push({canvas: neuron, layer: l, index: j});
  return neuron;
}

function drawNeuron(canvas, l, j) {
  const {state, data} = page;
  const oneFeature = data.features.length === 1;
  const size = data.grid;
  const [width, height] = oneFeature ? [120, 40] : [size, size];
  // Resizing a canvas reallocates it: only when the size really changes.
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext("2d");
  let holder = null;
  if (l === 0) holder = data.inputs[j];
  else if (state.neurons) holder = state.neurons[l - 1][j];
  if (!holder) {  // the perceptron: its regions are its one neuron's map
    const regions = state.regions && decoded(state.regions, "label");
    if (regions) context.putImageData(mapImage(regions, size, (image, i, t) =>
      paintDiverging(image, i, 0.5 + 0.35 * (t > 0 ? 1 : -1))), 0, 0);
    return;
  }
  const values = decoded(holder, "map");
  if (oneFeature) {
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.beginPath();
    values.forEach((v, i) => {
      const x = i * canvas.width / (values.length - 1);
      const y = canvas.height - 2 - (canvas.height - 4) * v / 255;
      if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.strokeStyle = "#0877bd";
    context.stroke();
    return;
  }
  context.putImageData(mapImage(values, size, neuronPaint()), 0, 0);
}

// + and - over each hidden layer (its neurons) and beside the title (the layers).
function layerButtons(sizes) {
  const row = $("layer-buttons");
  const perceptron = Boolean(page.state.perceptron);
  const signature = `${page.diagram.signature}|${perceptron}`;
  if (row.dataset.signature === signature) return;
  row.dataset.signature = signature;
  row.textContent = "";
  $("layers-count").textContent = perceptron ? "" :
    `${sizes.length - 2} hidden layer${sizes.length === 3 ? "" : "s"}`;
  if (perceptron) return;
  const {column, node} = page.diagram;
  // Side by side when the columns leave room, else one above the other.
  const stacked = sizes.length > 2 && column(1) - column(0) < 60;
  row.classList.toggle("stacked", stacked);
  for (let l = 1; l + 1 < sizes.length; l++) {
    const group = document.createElement("span");
    group.className = "neuron-buttons";
    group.style.left = `${column(l) + node / 2}px`;
    group.append(
      button("+", `add a neuron to layer ${l}`, () => hooks.resize(l - 1, 1)),
      button("-", `remove a neuron from layer ${l}`, () => hooks.resize(l - 1, -1)));
    row.append(group);
  }
}

function button(text, label, action) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "small";
  element.textContent = text;
  element.title = label;
  element.setAttribute("aria-label", label);
  element.addEventListener("click", action);
  return element;
}
