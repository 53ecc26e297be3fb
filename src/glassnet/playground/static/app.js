// glassnet playground: the page. It keeps no model of its own: every number it shows comes
// from the server, which runs glassnet. The settings live in the URL, so a link rebuilds a run.
"use strict";

const CLASS_COLOURS = [
  [245, 147, 34], [8, 119, 189], [46, 160, 67], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
const SETTING_KEYS = ["mode", "dataset", "points", "noise", "split", "layers", "activations",
  "loss", "optimizer", "lr", "batch", "l2", "seed", "bias"];

const page = {
  options: null,
  session: null,
  data: null,
  state: null,
  upload: null,        // {upload, filename, ...} after a CSV is accepted
  playing: false,
  history: [],         // one {epoch, train, test} per state shown
  selected: null,      // {layer, neuron, source} of the formula panel
  sample: {split: "train", index: 0},
  frameTimes: [],
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ talking to the server
async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  let payload;
  try {
    payload = await response.json();
  } catch (error) {
    throw new Error(`the server answered ${response.status} without a readable message`);
  }
  if (!response.ok) throw new Error(payload.error || `error ${response.status}`);
  return payload;
}

function showMessage(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = kind;
  box.hidden = !text;
}

// Each state's base64 maps are decoded once, however many pictures use them.
function decoded(holder, key) {
  const cache = `_${key}`;
  if (!holder[cache]) holder[cache] = decode(holder[key]);
  return holder[cache];
}

function decode(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// ------------------------------------------------------------------ settings and the URL
function readSettings() {
  const settings = {};
  for (const key of SETTING_KEYS) {
    if (key === "activations") {
      settings.activations = [...document.querySelectorAll("#activations select")]
        .map((select) => select.value).join(",");
    } else if (key === "bias") {
      settings.bias = $("bias").checked;
    } else {
      settings[key] = $(key).value.trim();
    }
  }
  if (settings.dataset === "csv" && page.upload) settings.upload = page.upload.upload;
  return settings;
}

function writeSettings(settings) {
  for (const key of SETTING_KEYS) {
    if (key === "activations" || !(key in settings)) continue;
    if (key === "bias") $("bias").checked = String(settings.bias) === "true";
    else $(key).value = settings[key];
  }
  buildActivationSelects(String(settings.activations || "tanh").split(","));
  showModeControls();
}

function settingsToUrl(settings) {
  const query = new URLSearchParams();
  for (const key of SETTING_KEYS) query.set(key, String(settings[key]));
  history.replaceState(null, "", `${location.pathname}?${query}`);
}

function settingsFromUrl(defaults) {
  const query = new URLSearchParams(location.search);
  const settings = {...defaults};
  for (const key of SETTING_KEYS) if (query.has(key)) settings[key] = query.get(key);
  return settings;
}

function buildActivationSelects(names) {
  const counts = $("layers").value.split(",").map((part) => part.trim()).filter(Boolean);
  const box = $("activations");
  const previous = [...box.querySelectorAll("select")].map((select) => select.value);
  box.textContent = "";
  counts.forEach((count, index) => {
    const label = document.createElement("label");
    label.textContent = `Layer ${index + 1} activation `;
    const select = document.createElement("select");
    select.className = "activation";
    for (const name of page.options.activations) select.add(new Option(name, name));
    select.value = names[index] || previous[index] || names[names.length - 1] || "tanh";
    select.addEventListener("change", reset);
    label.append(select);
    box.append(label);
  });
}

function showModeControls() {
  const perceptron = $("mode").value === "perceptron";
  document.querySelectorAll(".network-only").forEach((el) => { el.hidden = perceptron; });
  document.querySelectorAll(".perceptron-only").forEach((el) => { el.hidden = !perceptron; });
}

// ------------------------------------------------------------------ the run
async function reset() {
  pause();
  const settings = readSettings();
  settingsToUrl(settings);
  try {
    const reply = await api("/api/session", settings);
    page.session = reply.session;
    page.data = reply.data;
    page.history = [];
    page.sample = {split: "train", index: 0};
    $("export").href = `/api/export?session=${reply.session}`;
    showMessage("");
    applyState(reply);
  } catch (error) {
    page.session = null;
    showMessage(error.message);
    return;
  }
  if (page.selected) {
    // A neuron picked in the previous architecture may not exist in this one.
    await inspect(page.selected).catch(() => {
      page.selected = null;
      drawNetwork();
    });
  }
}

async function stepOnce(epochs = 1) {
  if (!page.session) return;
  const started = performance.now();
  const session = page.session;
  const state = await api("/api/step", {session, epochs});
  if (session !== page.session) return;  // a Reset came in meanwhile: this run is gone
  applyState(state);
  page.frameTimes.push(performance.now() - started);
  if (page.frameTimes.length > 30) page.frameTimes.shift();
  const mean = page.frameTimes.reduce((a, b) => a + b, 0) / page.frameTimes.length;
  $("frame-ms").textContent = mean.toFixed(1);
  const finished = state.message || (state.perceptron && state.perceptron.done);
  if (finished) pause();
  if (state.message) showMessage(state.message);
}

function play() {
  if (page.playing || !page.session) return;
  page.playing = true;
  $("play").textContent = "Pause";
  const loop = async () => {
    let frame = 0;
    while (page.playing) {
      try {
        await stepOnce(1);
        // The formula panel follows the training a few times a second, not every frame.
        frame += 1;
        if (page.selected && frame % 10 === 0) await inspect(page.selected);
      } catch (error) {
        showMessage(error.message);
        pause();
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  };
  loop();
}

function pause() {
  if (!page.playing) return;
  page.playing = false;
  $("play").textContent = "Play";
  if (page.selected) inspect(page.selected).catch((error) => showMessage(error.message));
}

function applyState(state) {
  page.state = state;
  const last = page.history[page.history.length - 1];
  if (!last || last.epoch !== state.epoch) {
    page.history.push({epoch: state.epoch, train: state.train.loss, test: state.test.loss});
  }
  $("epoch").textContent = state.epoch;
  for (const side of ["train", "test"]) {
    const metrics = state[side];
    $(`${side}-loss`).textContent = metrics.loss === null ? "-" : metrics.loss.toFixed(4);
    $(`${side}-accuracy`).textContent =
      metrics.accuracy === null ? "-" : metrics.accuracy.toFixed(3);
  }
  drawRegions();
  drawLosses();
  drawNetwork();
  drawPerceptronTable();
}

// ------------------------------------------------------------------ drawing: the output
function toCanvas(bounds, canvas) {
  const [[x0, x1], [y0, y1]] = bounds;
  return (x, y) => [
    (x - x0) / (x1 - x0) * canvas.width,
    (1 - (y - y0) / (y1 - y0)) * canvas.height,
  ];
}

function regionImage(regions, size) {
  if (regions._image) return regions._image;
  const image = new ImageData(size, size);
  regions._image = image;
  if (regions.value) {
    const value = decoded(regions, "value");
    for (let i = 0; i < value.length; i++) paint(image, i, value[i] / 255);
  } else {
    const label = decoded(regions, "label");
    const confidence = decoded(regions, "confidence");
    for (let i = 0; i < label.length; i++) {
      const colour = CLASS_COLOURS[label[i] % CLASS_COLOURS.length];
      const strength = 0.15 + 0.55 * confidence[i] / 255;
      for (let c = 0; c < 3; c++) image.data[4 * i + c] = 255 - (255 - colour[c]) * strength;
      image.data[4 * i + 3] = 255;
    }
  }
  return image;
}

// A diverging scale for values in [0, 1]: orange, white, blue (as the classes are coloured).
function paint(image, i, t) {
  const [low, high] = [CLASS_COLOURS[0], CLASS_COLOURS[1]];
  const colour = t < 0.5 ? low : high;
  const strength = Math.abs(t - 0.5) * 2;
  for (let c = 0; c < 3; c++) image.data[4 * i + c] = 255 - (255 - colour[c]) * strength;
  image.data[4 * i + 3] = 255;
}

function drawImage(canvas, image) {
  const buffer = page.buffer || (page.buffer = document.createElement("canvas"));
  buffer.width = image.width;
  buffer.height = image.height;
  buffer.getContext("2d").putImageData(image, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = true;
  context.drawImage(buffer, 0, 0, canvas.width, canvas.height);
}

function drawRegions() {
  const canvas = $("regions");
  const context = canvas.getContext("2d");
  const {state, data} = page;
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (!state || !data) return;
  const oneFeature = data.features.length === 1;
  const place = toCanvas(data.bounds, canvas);
  if (state.regions) drawImage(canvas, regionImage(state.regions, data.grid));
  if (state.perceptron) drawBoundary(context, place, state.perceptron);
  // One path per colour and split: a few hundred points cost a handful of draw calls.
  for (const split of ["train", "test"]) {
    const {x, y} = data[split];
    const groups = new Map();
    for (let i = 0; i < x.length; i++) {
      const key = pointColourKey(y[i], oneFeature);
      if (!groups.has(key)) groups.set(key, new Path2D());
      const [px, py] = oneFeature ? place(x[i][0], y[i]) : place(x[i][0], x[i][1]);
      const path = groups.get(key);
      path.moveTo(px + 3.5, py);
      path.arc(px, py, 3.5, 0, 2 * Math.PI);
    }
    for (const [key, path] of groups) {
      context.fillStyle = pointColour(key);
      context.strokeStyle = split === "train" ? "#fff" : "#000";
      context.lineWidth = split === "train" ? 1 : 1.5;
      context.fill(path);
      context.stroke(path);
    }
  }
  if (state.curve) {
    context.beginPath();
    context.strokeStyle = "rgb(8,119,189)";
    context.lineWidth = 2.5;
    const [x0, x1] = data.bounds[0];
    state.curve.forEach((value, i) => {
      const [px, py] = place(x0 + (x1 - x0) * i / (state.curve.length - 1), value);
      if (i === 0) context.moveTo(px, py); else context.lineTo(px, py);
    });
    context.stroke();
  }
  const chosen = data[page.sample.split].x[page.sample.index];
  if (chosen) {
    const target = data[page.sample.split].y[page.sample.index];
    const [px, py] = oneFeature ? place(chosen[0], target) : place(chosen[0], chosen[1]);
    context.beginPath();
    context.arc(px, py, 8, 0, 2 * Math.PI);
    context.strokeStyle = "#111";
    context.lineWidth = 2;
    context.stroke();
    $("sample-label").textContent =
      `selected: ${page.sample.split} sample ${page.sample.index}`;
  }
}

// Points are grouped by colour: a class, one of 16 shades of a regression target, or grey
// for a one-feature plot (where the target is the height).
function pointColourKey(target, oneFeature) {
  const {data} = page;
  if (oneFeature) return "grey";
  if (data.task === "classification") return `class ${target % CLASS_COLOURS.length}`;
  if (!data.range) {
    const all = [...data.train.y, ...data.test.y];
    data.range = [Math.min(...all), Math.max(...all)];
  }
  const [low, high] = data.range;
  return `shade ${Math.round(15 * (target - low) / (high - low || 1))}`;
}

function pointColour(key) {
  const [kind, value] = key.split(" ");
  if (kind === "grey") return "#555";
  if (kind === "class") return `rgb(${CLASS_COLOURS[value].join(",")})`;
  const swatch = new ImageData(1, 1);
  paint(swatch, 0, Number(value) / 15);
  return `rgb(${swatch.data[0]},${swatch.data[1]},${swatch.data[2]})`;
}

// The perceptron's boundary w1*x1 + w2*x2 + b = 0, drawn across the plot.
function drawBoundary(context, place, perceptron) {
  const [w1, w2] = perceptron.weights;
  const b = perceptron.bias || 0;
  const [[x0, x1], [y0, y1]] = page.data.bounds;
  let ends;
  if (Math.abs(w2) > 1e-12) {
    ends = [[x0, -(w1 * x0 + b) / w2], [x1, -(w1 * x1 + b) / w2]];
  } else if (Math.abs(w1) > 1e-12) {
    ends = [[-b / w1, y0], [-b / w1, y1]];
  } else {
    return;
  }
  context.beginPath();
  context.moveTo(...place(...ends[0]));
  context.lineTo(...place(...ends[1]));
  context.strokeStyle = "#111";
  context.lineWidth = 2;
  context.setLineDash([6, 4]);
  context.stroke();
  context.setLineDash([]);
}

function drawLosses() {
  const canvas = $("losses");
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  const points = page.history;
  const values = points.flatMap((p) => [p.train, p.test]).filter((v) => v !== null);
  if (points.length < 2 || !values.length) return;
  const top = Math.max(...values) || 1;
  const last = points[points.length - 1].epoch || 1;
  const pad = 24;
  context.fillStyle = "#666";
  context.font = "11px sans-serif";
  context.fillText(`loss (max ${top.toPrecision(3)})`, pad, 12);
  context.fillText(`epoch ${last}`, canvas.width - 70, canvas.height - 4);
  for (const [key, colour, dash] of [["train", "#0877bd", []], ["test", "#f59322", [5, 3]]]) {
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
}

// ------------------------------------------------------------------ drawing: the network
function layerSizes() {
  const {state, data} = page;
  if (state.perceptron) return [2, 1];
  return [data.features.length, ...state.weights.map((w) => w[0].length)];
}

// The diagram is built once per architecture: the weights on one canvas (redrawn each frame,
// far cheaper than restyling an SVG line per weight) under one small canvas per neuron.
function drawNetwork() {
  const box = $("network");
  const {state, data} = page;
  if (!state || !data) return;
  const sizes = layerSizes();
  const signature = `${sizes.join("-")}|${data.features.join(",")}|${box.clientWidth}`;
  if (!page.diagram || page.diagram.signature !== signature) buildNetwork(box, sizes, signature);
  drawWeights();
  const chosen = page.selected;
  for (const neuron of page.diagram.neurons) {
    if (neuron.layer > 0) drawNeuron(neuron.canvas, neuron.layer, neuron.index);
    const picked = chosen && chosen.source === null && chosen.layer === neuron.layer &&
      chosen.neuron === neuron.index;
    neuron.canvas.classList.toggle("selected", Boolean(picked));
  }
}

function currentWeight(line) {
  const {state} = page;
  const weights = state.perceptron ? [state.perceptron.weights.map((w) => [w])] : state.weights;
  return weights[line.layer - 1][line.source][line.neuron];
}

function drawWeights() {
  const {canvas, lines, ratio, hover} = page.diagram;
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  const values = lines.map(currentWeight);
  const largest = Math.max(1e-9, ...values.map(Math.abs));
  const chosen = page.selected;
  const marked = [];
  lines.forEach((line, k) => {
    const w = values[k];
    context.beginPath();
    context.moveTo(line.x1, line.y1);
    context.lineTo(line.x2, line.y2);
    context.strokeStyle = w >= 0 ? "rgba(8, 119, 189, 0.8)" : "rgba(245, 147, 34, 0.8)";
    context.lineWidth = 0.5 + 5 * Math.abs(w) / largest;
    context.stroke();
    const picked = chosen && chosen.layer === line.layer && chosen.neuron === line.neuron &&
      chosen.source === line.source;
    if (picked || line === hover) marked.push([line, context.lineWidth]);
  });
  for (const [line, width] of marked) {  // the chosen and the hovered weight, on top
    context.beginPath();
    context.moveTo(line.x1, line.y1);
    context.lineTo(line.x2, line.y2);
    context.strokeStyle = "#111";
    context.lineWidth = Math.max(width, 2);
    context.stroke();
  }
}

// The weight whose line passes within 6 pixels of a point of the diagram, if any.
function weightAt(x, y) {
  let best = null;
  let bestDistance = 6;
  for (const line of page.diagram.lines) {
    const [dx, dy] = [line.x2 - line.x1, line.y2 - line.y1];
    const along = ((x - line.x1) * dx + (y - line.y1) * dy) / (dx * dx + dy * dy);
    const t = Math.max(0, Math.min(1, along));
    const distance = Math.hypot(line.x1 + t * dx - x, line.y1 + t * dy - y);
    if (distance < bestDistance) [best, bestDistance] = [line, distance];
  }
  return best;
}

function buildNetwork(box, sizes, signature) {
  box.textContent = "";
  const node = 40;
  const width = box.clientWidth || 460;
  const height = Math.max(...sizes) * (node + 12) + 20;
  box.style.height = `${height}px`;
  const column = (l) => 10 + (width - node - 20) * l / (sizes.length - 1);
  const top = (l, j) => (height - sizes[l] * (node + 12)) / 2 + j * (node + 12) + 6;
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.className = "weights";
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  box.append(canvas);
  const diagram = {signature, canvas, ratio, lines: [], neurons: [], hover: null};
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        diagram.lines.push({
          layer: l + 1, neuron: j, source: i,
          x1: column(l) + node, y1: top(l, i) + node / 2,
          x2: column(l + 1), y2: top(l + 1, j) + node / 2,
        });
      }
    }
  }
  canvas.addEventListener("mousemove", (event) => {
    const line = weightAt(event.offsetX, event.offsetY);
    if (line === diagram.hover) return;
    diagram.hover = line;
    canvas.style.cursor = line ? "pointer" : "";
    canvas.title = line ? `W[${line.layer}]_${line.source + 1}${line.neuron + 1} = ` +
      currentWeight(line).toPrecision(4) : "";
    drawWeights();
  });
  canvas.addEventListener("click", (event) => {
    const line = weightAt(event.offsetX, event.offsetY);
    if (line) select({layer: line.layer, neuron: line.neuron, source: line.source});
  });
  sizes.forEach((size, l) => {
    for (let j = 0; j < size; j++) {
      const neuron = document.createElement("canvas");
      neuron.className = "neuron";
      neuron.style.left = `${column(l)}px`;
      neuron.style.top = `${top(l, j)}px`;
      if (l > 0) {
        const kind = l === sizes.length - 1 ? "output" : "hidden";
        neuron.classList.add("clickable", kind);
        neuron.title = `${kind} neuron ${j + 1} of layer ${l}`;
        neuron.tabIndex = 0;  // reachable from the keyboard: Tab to it, Enter to explain it
        neuron.setAttribute("role", "button");
        const target = {layer: l, neuron: j, source: null};
        neuron.addEventListener("click", () => select(target));
        neuron.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            select(target);
          }
        });
      } else {
        neuron.title = page.data.features[j];
        drawNeuron(neuron, 0, j);
      }
      box.append(neuron);
      diagram.neurons.push({canvas: neuron, layer: l, index: j});
    }
  });
  page.diagram = diagram;
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
  let values = null;
  if (l === 0) {
    // An input neuron's map is its own feature, rising left to right (or bottom to top).
    values = new Uint8Array(oneFeature ? 120 : size * size);
    for (let i = 0; i < values.length; i++) {
      const x = i % size;
      const y = Math.floor(i / size);
      if (oneFeature) values[i] = 255 * i / 119;
      else values[i] = j === 0 ? 255 * x / (size - 1) : 255 * (1 - y / (size - 1));
    }
  } else if (state.neurons) {
    values = decoded(state.neurons[l - 1][j], "map");
  }
  if (values === null) {
    if (state.regions && !oneFeature) {
      context.putImageData(regionImage(state.regions, size), 0, 0);
    } else {
      context.fillStyle = "#eee";
      context.fillRect(0, 0, canvas.width, canvas.height);
    }
    return;
  }
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
  const image = new ImageData(size, size);
  for (let i = 0; i < values.length; i++) paint(image, i, values[i] / 255);
  context.putImageData(image, 0, 0);
}

function drawPerceptronTable() {
  const box = $("perceptron-table");
  const perceptron = page.state && page.state.perceptron;
  box.textContent = "";
  if (!perceptron) return;
  const table = document.createElement("table");
  const bias = perceptron.bias !== null;
  table.innerHTML = `<thead><tr><th>epoch</th><th>w1</th><th>w2</th>${bias ? "<th>b</th>" : ""}` +
    "<th>errors</th><th>RMSE</th></tr></thead>";
  const body = document.createElement("tbody");
  for (const r of perceptron.table) {
    const tr = document.createElement("tr");
    const cells = [r.epoch, r.weights[0].toPrecision(8), r.weights[1].toPrecision(8)];
    if (bias) cells.push(r.bias.toPrecision(6));
    cells.push(r.errors, r.rmse.toFixed(3));
    for (const cell of cells) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  const caption = document.createElement("p");
  caption.textContent = perceptron.message ||
    "Each epoch: w <- w + learning_rate * X^T e, with e = y - step(X w). Press Step.";
  box.append(table, caption);
}

// ------------------------------------------------------------------ the formula panel
async function select(target) {
  page.selected = target;
  drawNetwork();
  try {
    await inspect(target);
  } catch (error) {
    showMessage(error.message);
  }
}

async function inspect(target) {
  if (!page.session) return;
  const reply = await api("/api/inspect", {
    session: page.session,
    layer: target.layer,
    neuron: target.neuron,
    source: target.source,
    split: page.sample.split,
    sample: page.sample.index,
  });
  const [split, index] = [page.sample.split, page.sample.index];
  $("formula-title").textContent = `${reply.title} - ${split} sample ${index}`;
  $("formula-lines").textContent = reply.lines.join("\n");
}

function pickSample(event) {
  const {data} = page;
  if (!data) return;
  const canvas = $("regions");
  const rect = canvas.getBoundingClientRect();
  const cx = (event.clientX - rect.left) * canvas.width / rect.width;
  const cy = (event.clientY - rect.top) * canvas.height / rect.height;
  const place = toCanvas(data.bounds, canvas);
  let best = null;
  for (const split of ["train", "test"]) {
    data[split].x.forEach((x, i) => {
      const oneFeature = data.features.length === 1;
      const [px, py] = oneFeature ? place(x[0], data[split].y[i]) : place(x[0], x[1]);
      const distance = (px - cx) ** 2 + (py - cy) ** 2;
      if (!best || distance < best.distance) best = {split, index: i, distance};
    });
  }
  page.sample = {split: best.split, index: best.index};
  drawRegions();
  if (page.selected) inspect(page.selected).catch((error) => showMessage(error.message));
}

// ------------------------------------------------------------------ the CSV upload
async function chooseCsv() {
  const file = $("csv").files[0];
  $("csv").value = "";  // choosing the same file again still counts as a change
  if (!file) return;
  const limit = page.options.limits.upload_bytes;
  if (file.size > limit) {
    showMessage(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the playground takes ` +
      `CSV files up to ${(limit / 1e6).toFixed(0)} MB`);
    return;
  }
  // Kept, so that naming another target column sends the same file again.
  page.csvFile = {name: file.name, text: await file.text()};
  await sendCsv();
}

async function sendCsv() {
  if (!page.csvFile) return;
  const {name, text} = page.csvFile;
  try {
    page.upload = await api("/api/upload", {filename: name, text, target: $("target").value});
  } catch (error) {
    showMessage(error.message);
    return;
  }
  let option = $("dataset").querySelector("option[value=csv]");
  if (!option) {
    option = new Option("", "csv");
    $("dataset").add(option);
  }
  option.textContent = `CSV: ${page.upload.filename}`;
  $("dataset").value = "csv";
  await reset();
  if (!page.session) return;  // reset has shown why
  const {filename, rows, task, classes} = page.upload;
  showMessage(`${filename}: ${rows} rows, ${task}` +
    (classes.length ? ` (classes ${classes.join(", ")})` : ""), "info");
}

// ------------------------------------------------------------------ start
async function start() {
  page.options = await api("/api/options");
  const {options} = page;
  for (const name of options.datasets) $("dataset").add(new Option(name, name));
  for (const name of options.losses) $("loss").add(new Option(name, name));
  for (const name of options.optimizers) $("optimizer").add(new Option(name, name));
  const settings = settingsFromUrl(options.defaults);
  if (settings.dataset === "csv") {
    showMessage("This link used an uploaded CSV: upload the file again to rebuild the run.",
      "info");
    settings.dataset = options.defaults.dataset;
  }
  writeSettings(settings);
  for (const key of SETTING_KEYS) {
    if (["activations", "layers", "mode"].includes(key)) continue;
    $(key).addEventListener("change", reset);
  }
  $("layers").addEventListener("change", () => {
    buildActivationSelects([]);
    reset();
  });
  $("mode").addEventListener("change", () => {
    showModeControls();
    reset();
  });
  $("play").addEventListener("click", () => (page.playing ? pause() : play()));
  $("step").addEventListener("click", () => {
    pause();
    stepOnce(1).then(() => page.selected && inspect(page.selected))
      .catch((error) => showMessage(error.message));
  });
  $("reset").addEventListener("click", reset);
  $("csv").addEventListener("change", chooseCsv);
  $("target").addEventListener("change", sendCsv);
  $("regions").addEventListener("click", pickSample);
  $("share").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      showMessage("Link copied: it rebuilds this run (same settings, same seed).", "info");
    } catch (error) {
      showMessage(`Copy this link: ${location.href}`, "info");
    }
  });
  await reset();
}

window.playground = {page, stepOnce, reset, applyState};
start().catch((error) => showMessage(`The playground could not start: ${error.message}`));
