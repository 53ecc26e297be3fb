// glassnet playground: the run. Play, Step and Reset; live settings (the run goes on) and
// settings that start a new run; the rebuild of a run the server has let go; the CSV upload,
// the link and the export. Every answer carries its request's sequence number, and an answer
// older than the one on screen is dropped.
"use strict";

import {page, $, hooks} from "./state.js";
import {api, showMessage, showNotice} from "./api.js";
import {SETTING_KEYS, buildActivationSelects, buildFeatureBoxes, fillPresets, readSettings,
  settingsFromUrl, settingsToUrl, showClassroom, showModeControls, writeSettings}
  from "./controls.js";
import {drawLosses, drawRegions, pickSample, recordLoss, sampleKeys} from "./output.js";
import {drawNetwork} from "./diagram.js";
import {inspect, select, showEditor, submitEdit} from "./formula.js";

const EXPIRED = "unknown or expired session";

// ------------------------------------------------------------------ requests of the run
// A request about the run on screen; a run the server has let go is rebuilt, then asked again.
async function sessionCall(path, body) {
  if (!page.session) return null;
  try {
    return await api(path, {...body, session: page.session});
  } catch (error) {
    if (error.status !== 404 || !error.message.startsWith(EXPIRED)) throw error;
    await rebuild();
    if (!page.session) throw error;
    return api(path, {...body, session: page.session});
  }
}

// Show an answer that carries a state, unless it is about another run or the run has
// changed since (the server counts its versions: answers to requests made at once may come
// back in any order). A journal is kept when it is longer, whatever the state's version.
function applyReply(reply) {
  if (!reply || reply.session !== page.session) return false;
  if (reply.journal && reply.journal.length >= page.journal.length) page.journal = reply.journal;
  if (reply.version < page.state.version) return false;
  applyState(reply);
  return true;
}

function adopt(reply, settings) {
  page.session = reply.session;
  page.start = settings;
  page.journal = reply.journal;
  page.data = reply.data;
  page.history = {points: [], stride: 1};
  page.sample = {split: "train", index: 0};
  page.preview = null;
  $("export").disabled = false;
  applyState(reply);
}

async function reset() {
  pause();
  const settings = readSettings();
  settingsToUrl(settings);
  showModeControls();
  if (settings.dataset === "csv" && !settings.upload) {
    showMessage("Upload a CSV file first (Your CSV): the run starts when it is read.", "info");
    return;
  }
  const seq = page.seq + 1;  // the number api() gives this request
  page.createSeq = seq;
  let reply;
  try {
    reply = await api("/api/session", {...settings, replaces: page.session || ""});
  } catch (error) {
    if (page.createSeq === seq) showMessage(error.message);
    return;
  }
  if (reply.seq !== page.createSeq) return;  // a newer run was asked for meanwhile
  showMessage("");
  adopt(reply, settings);
  if (page.selected) {
    // A neuron picked in the previous architecture may not exist in this one.
    await inspect(page.selected, sessionCall).catch(() => {
      page.selected = null;
      drawNetwork();
      showEditor();
    });
  }
}

// The server no longer has the run: make it again from its start, its journal and its epoch.
async function rebuild() {
  if (page.rebuilding) return page.rebuilding;
  const epoch = page.state ? page.state.epoch : 0;
  const seq = page.seq + 1;
  page.createSeq = seq;
  page.rebuilding = api("/api/session", {...page.start, replay: {epoch, journal: page.journal}})
    .then((reply) => {
      if (reply.seq !== page.createSeq) return;
      page.session = reply.session;
      page.journal = reply.journal;
      page.data = reply.data;
      applyState(reply);
      showMessage(`The server no longer had this run (it was idle, or the server restarted): ` +
        `it was rebuilt to epoch ${reply.epoch}.`, "info");
    })
    .catch((error) => {
      page.session = null;
      showMessage(`The run could not be rebuilt: ${error.message}`);
    })
    .finally(() => { page.rebuilding = null; });
  return page.rebuilding;
}

async function stepOnce(epochs = 1) {
  if (!page.session) return;
  const started = performance.now();
  const reply = await sessionCall("/api/step", {epochs});
  if (!applyReply(reply)) return;
  page.frameTimes.push(performance.now() - started);
  if (page.frameTimes.length > 30) page.frameTimes.shift();
  const mean = page.frameTimes.reduce((a, b) => a + b, 0) / page.frameTimes.length;
  $("frame-ms").textContent = mean.toFixed(1);
  const finished = reply.message || (reply.perceptron && reply.perceptron.done);
  if (finished) pause();
  if (reply.message) showMessage(reply.message);
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
        if (page.selected && frame % 10 === 0) await inspect(page.selected, sessionCall);
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
  if (page.selected) inspect(page.selected, sessionCall).catch((e) => showMessage(e.message));
}

// A live setting: the run goes on (and Play with it) from the weights it has.
async function changeLive() {
  const settings = readSettings();
  settingsToUrl(settings);
  showModeControls();
  if (!page.session || settings.mode === "perceptron" || !page.state || page.state.perceptron) {
    return reset();
  }
  try {
    const reply = await sessionCall("/api/change", {settings});
    if (!reply || reply.session !== page.session) return;
    applyReply(reply);
    showMessage(reply.note ? `${reply.note}.` : "", "info");
  } catch (error) {
    showMessage(error.message);
  }
}

function applyState(state) {
  page.state = state;
  recordLoss(state.epoch, state.train.loss, state.test.loss);
  $("epoch").textContent = state.epoch;
  for (const side of ["train", "test"]) {
    const metrics = state[side];
    $(`${side}-loss`).textContent = metrics.loss === null ? "-" : metrics.loss.toFixed(4);
    $(`${side}-accuracy`).textContent =
      metrics.accuracy === null ? "-" : metrics.accuracy.toFixed(3);
  }
  $("metrics-note").hidden = !state.perceptron;
  drawRegions();
  drawLosses();
  drawNetwork();
  drawPerceptronTable();
  showEditor();
}

function drawPerceptronTable() {
  const box = $("perceptron-table");
  const perceptron = page.state && page.state.perceptron;
  box.textContent = "";
  if (!perceptron) return;
  // Each epoch counts the errors of the weights in the row above it (where it started), then
  // updates them: its row shows those errors and the weights it ended with.
  const table = document.createElement("table");
  const bias = perceptron.bias !== null;
  table.innerHTML = "<thead><tr><th>epoch</th><th>errors</th><th>RMSE</th><th>w1</th>" +
    `<th>w2</th>${bias ? "<th>b</th>" : ""}</tr></thead>`;
  const body = document.createElement("tbody");
  const addRow = (cells, className = "") => {
    const tr = document.createElement("tr");
    tr.className = className;
    for (const cell of cells) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.append(td);
    }
    body.append(tr);
  };
  const first = perceptron.table[0];
  if (first) {
    addRow(["start", "", "", ...first.started, ...(bias ? [first.started_bias] : [])], "start");
  }
  for (const r of perceptron.table) {
    addRow([r.epoch, r.errors, r.rmse, ...r.weights, ...(bias ? [r.bias] : [])]);
  }
  table.append(body);
  const rule = document.createElement("p");
  rule.textContent = `Each epoch counts the errors of the weights in the row above (y = ` +
    `${perceptron.output_rule.replace(/^y = /, "")}), then updates them: ` +
    `${perceptron.update_rule}.`;
  const caption = document.createElement("p");
  caption.textContent = perceptron.message || "Press Step.";
  box.append(table, rule, caption);
}

// ------------------------------------------------------------------ architecture buttons
function setLayers(counts) {
  $("layers").value = counts.join(",");
  buildActivationSelects([]);
  reset();
}

const layerCounts = () => $("layers").value.split(",").map((p) => p.trim()).filter(Boolean)
  .map(Number);

hooks.resize = (index, delta) => {
  const counts = layerCounts();
  const {neurons} = page.options.limits;
  counts[index] = Math.max(1, Math.min(neurons, counts[index] + delta));
  setLayers(counts);
};

function changeDepth(delta) {
  const counts = layerCounts();
  if (delta > 0 && counts.length < page.options.limits.layers) {
    counts.push(counts.length ? counts[counts.length - 1] : 4);
  }
  if (delta < 0) counts.pop();
  setLayers(counts);
}

// ------------------------------------------------------------------ the CSV upload
function base64Of(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

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
  // The bytes, not the text: the server says so when the file is not UTF-8. Kept, so that
  // naming another target column sends the same file again.
  page.csvFile = {name: file.name, data: base64Of(await file.arrayBuffer())};
  await sendCsv();
}

function csvOption(label) {
  let option = $("dataset").querySelector("option[value=csv]");
  if (!option) {
    option = new Option("", "csv");
    $("dataset").add(option);
  }
  option.textContent = label;
}

async function sendCsv() {
  if (!page.csvFile) return;
  const {name, data} = page.csvFile;
  try {
    page.upload = await api("/api/upload", {filename: name, data, target: $("target").value});
  } catch (error) {
    showMessage(error.message);
    return;
  }
  page.csvName = page.upload.filename;
  csvOption(`CSV: ${page.upload.filename}`);
  $("dataset").value = "csv";
  showNotice("");
  await reset();
  if (!page.session) return;  // reset has shown why
  const {filename, rows, task, classes, delimiter} = page.upload;
  const separated = {";": "; its values separated by semicolons",
    "\t": "; its values separated by tabs"}[delimiter] || "";
  showMessage(`${filename}: ${rows} rows, ${task}` +
    (classes.length ? ` (classes ${classes.join(", ")})` : "") + separated, "info");
}

// ------------------------------------------------------------------ link and export
async function copyLink() {
  const name = page.upload ? page.upload.filename : page.csvName;
  let text = "Link copied: it rebuilds this run from its settings and its seed.";
  if ($("dataset").value === "csv") {
    text = `Link copied: it keeps the settings but not the file ${name}; on another ` +
      "machine, or after the server restarts, upload the file again to rebuild the run.";
  }
  const changes = page.journal.length;
  if (changes) {
    text += ` It starts with the current settings: the ${changes} change` +
      `${changes === 1 ? "" : "s"} made while the run trained (from epoch ` +
      `${page.journal[0].epoch}) are not in it.`;
  }
  try {
    await navigator.clipboard.writeText(location.href);
    showMessage(text, "info");
  } catch (error) {
    showMessage(`${text} Copy it from here: ${location.href}`, "info");
  }
}

async function exportModel() {
  if (!page.session) return;
  const fetchModel = () => fetch(`/api/export?session=${page.session}`);
  let response = await fetchModel();
  if (response.status === 404) {
    await rebuild();
    response = await fetchModel();
  }
  if (!response.ok) {
    const reply = await response.json().catch(() => ({}));
    showMessage(reply.error || `the export failed (${response.status})`);
    return;
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename="([^"]+)"/.exec(disposition);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = match ? match[1] : "playground.glassnet";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// ------------------------------------------------------------------ start
function listen() {
  const live = page.options.live;
  for (const key of SETTING_KEYS) {
    if (["activations", "features", "layers", "mode"].includes(key)) continue;
    $(key).addEventListener("change", live.includes(key) ? changeLive : reset);
  }
  $("layers").addEventListener("change", () => {
    buildActivationSelects([]);
    reset();
  });
  $("mode").addEventListener("change", () => {
    showModeControls();
    reset();
  });
  $("layers-less").addEventListener("click", () => changeDepth(-1));
  $("layers-more").addEventListener("click", () => changeDepth(1));
  $("play").addEventListener("click", () => (page.playing ? pause() : play()));
  $("step").addEventListener("click", () => {
    pause();
    stepOnce(1).then(() => page.selected && inspect(page.selected, sessionCall))
      .catch((error) => showMessage(error.message));
  });
  $("reset").addEventListener("click", reset);
  $("csv").addEventListener("change", chooseCsv);
  $("target").addEventListener("change", sendCsv);
  $("regions").addEventListener("click", pickSample);
  $("regions").addEventListener("keydown", sampleKeys);
  $("share").addEventListener("click", copyLink);
  $("export").addEventListener("click", () => exportModel().catch((e) => showMessage(e.message)));
  $("editor").addEventListener("submit", (event) => submitEdit(event, sessionCall, applyReply));
  $("notice-close").addEventListener("click", () => showNotice(""));
  for (const [id, key] of [["show-test", "test"], ["discretize", "discretize"]]) {
    $(id).checked = page.view[key];
    $(id).addEventListener("change", () => {
      page.view[key] = $(id).checked;
      settingsToUrl(readSettings());
      drawRegions();
    });
  }
  let width = $("network").clientWidth;
  new ResizeObserver(() => {  // a diagram as wide as its box, whether or not it plays
    if ($("network").clientWidth === width) return;
    width = $("network").clientWidth;
    drawNetwork();
  }).observe($("network"));
}

hooks.reset = reset;
hooks.select = (target) => select(target, sessionCall);
hooks.refreshFormula = () => inspect(page.selected, sessionCall).catch((e) => showMessage(e.message));
hooks.preview = (place) => {
  page.preview = place;
  drawRegions();
};

async function startFromCsvLink(settings) {
  const name = page.csvName || "the CSV";
  csvOption(`CSV: ${name} (upload it again)`);
  if (settings.upload) {  // the same server may still have it
    page.upload = {upload: settings.upload, filename: name};
    csvOption(`CSV: ${name}`);
    $("dataset").value = "csv";
    await reset();
    if (page.session) return;
    page.upload = null;
    csvOption(`CSV: ${name} (upload it again)`);
  }
  $("dataset").value = "csv";
  showMessage("");
  showNotice(`This link used the uploaded file ${name}, which this server does not have: ` +
    "upload it again (Your CSV) and the run starts with the link's settings.");
}

async function start() {
  page.options = await api("/api/options");
  const {options} = page;
  for (const name of options.datasets) $("dataset").add(new Option(name, name));
  for (const name of options.losses) $("loss").add(new Option(name, name));
  for (const name of options.optimizers) $("optimizer").add(new Option(name, name));
  for (const name of options.regularizations) $("regularization").add(new Option(name, name));
  for (const name of options.rules) $("rule").add(new Option(name, name));
  for (const name of Object.keys(options.books)) {
    const preset = options.presets[name];
    $("book").add(new Option(preset ? preset.title : name, name));
  }
  buildFeatureBoxes();
  fillPresets();
  const {settings, problems} = settingsFromUrl(options);
  if (settings.dataset === "csv") csvOption(`CSV: ${page.csvName || "a file"}`);
  writeSettings(settings);
  showClassroom();
  listen();
  if (settings.dataset === "csv") await startFromCsvLink(settings);
  else await reset();
  if (problems.length) showNotice([...problems, $("notice-text").textContent].join(" ").trim());
}

window.playground = {page, stepOnce, reset, applyState, recordLoss, drawLosses, rebuild};
start().catch((error) => showMessage(`The playground could not start: ${error.message}`));
