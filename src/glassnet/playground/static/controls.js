// The settings: the form, the URL (a link rebuilds a run), and the classroom's hidden
// controls and lesson. Every value a link gives is checked before it reaches the form, so a
// bad one is named as it was written, not as the empty text a form field makes of it.
"use strict";

import {page, $, hooks} from "./state.js";

export const SETTING_KEYS = ["mode", "dataset", "points", "noise", "split", "features", "layers",
  "activations", "loss", "optimizer", "lr", "batch", "regularization", "strength", "seed",
  "bias", "book", "rule", "threshold", "step_at_zero", "band"];
const NUMBER_KEYS = ["points", "noise", "split", "seed", "lr", "batch", "strength",
  "threshold", "band"];
const CHOICE_KEYS = {mode: "modes", dataset: "datasets", loss: "losses",
  optimizer: "optimizers", regularization: "regularizations", book: "books", rule: "rules",
  step_at_zero: "steps"};
const WORDS = {true: true, 1: true, yes: true, on: true, false: false, 0: false, no: false,
  off: false};

const choices = (options, key) => (key === "mode" ? ["network", "perceptron"] :
  key === "dataset" ? [...options.datasets, "csv"] :
  key === "book" ? ["", ...Object.keys(options.books)] :
  key === "step_at_zero" ? ["0", "1"] : options[CHOICE_KEYS[key]]);

export const oneFeature = (dataset) => page.options.one_feature.includes(dataset);

// ------------------------------------------------------------------ the form
export function readSettings() {
  const settings = {};
  for (const key of SETTING_KEYS) {
    if (key === "activations") {
      settings.activations = [...document.querySelectorAll("#activations select")]
        .map((select) => select.value).join(",");
    } else if (key === "features") {
      settings.features = [...document.querySelectorAll("#features input:checked")]
        .map((box) => box.value).join(",");
    } else if (key === "bias") {
      settings.bias = $("bias").checked;
    } else {
      settings[key] = $(key).value.trim();
    }
  }
  if (settings.mode === "perceptron" || oneFeature(settings.dataset)) {
    settings.features = page.options.defaults.features;  // the points as they are
  }
  if (settings.mode !== "perceptron") settings.book = "";  // a book is a perceptron's table
  // Each rule has one of the two: Rosenblatt's step its value at zero, Fausett's its band.
  if (settings.rule === "fausett") settings.step_at_zero = "0";
  else settings.band = "0";
  if (settings.dataset === "csv" && page.upload) settings.upload = page.upload.upload;
  return settings;
}

export function writeSettings(settings) {
  for (const key of SETTING_KEYS) {
    if (!(key in settings) || key === "activations" || key === "features") continue;
    if (key === "bias") $("bias").checked = WORDS[String(settings.bias).toLowerCase()] === true;
    else $(key).value = settings[key];
  }
  const chosen = String(settings.features || page.options.defaults.features).split(",");
  for (const box of document.querySelectorAll("#features input")) {
    box.checked = chosen.includes(box.value);
  }
  buildActivationSelects(String(settings.activations || "tanh").split(","));
  showModeControls();
}

export function buildFeatureBoxes() {
  const box = $("features");
  for (const [key, formula] of Object.entries(page.options.features)) {
    const label = document.createElement("label");
    label.className = "check";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = key;
    input.addEventListener("change", () => hooks.reset());
    label.append(input, ` ${formula.replace("{0}", "x1").replace("{1}", "x2")}`);
    box.append(label);
  }
}

export function buildActivationSelects(names) {
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
    select.addEventListener("change", () => hooks.reset());
    label.append(select);
    box.append(label);
  });
}

// What each mode and data set takes: the rest is hidden or greyed out, with the reason.
export function showModeControls() {
  const perceptron = $("mode").value === "perceptron";
  document.querySelectorAll(".network-only").forEach((el) => { el.hidden = perceptron; });
  document.querySelectorAll(".perceptron-only").forEach((el) => { el.hidden = !perceptron; });
  const csv = $("dataset").value === "csv";
  const plain = perceptron || oneFeature($("dataset").value);
  for (const box of document.querySelectorAll("#features input")) box.disabled = plain;
  $("features-note").textContent = perceptron ? "the perceptron takes x1 and x2 as they are" :
    plain ? "this data set has one feature, x" : "";
  $("strength").disabled = $("regularization").value === "none";
  // A book's table brings its own rows and rule: the form shows them, greyed out.
  const book = perceptron && $("book").value;
  const fausett = $("rule").value === "fausett";
  for (const id of ["dataset", "points", "noise", "split", "seed", "lr", "bias", "csv", "rule",
    "threshold", "step_at_zero", "band"]) {
    if (id === "points" || id === "noise") $(id).disabled = csv || Boolean(book);
    else if (id === "step_at_zero") $(id).disabled = Boolean(book) || fausett;
    else if (id === "band") $(id).disabled = Boolean(book) || !fausett;
    else $(id).disabled = Boolean(book);
    const own = $(id).dataset;  // the control's own title, given back when the book goes
    if (!("title" in own)) own.title = $(id).title;
    const byCsv = csv && (id === "points" || id === "noise");
    $(id).title = book ? "set by the book's table" : byCsv ? "set by the CSV file" : own.title;
  }
  // Each rule has one of the two (readSettings sends the other as 0): the form says so.
  if (fausett) $("step_at_zero").value = "0";
  else $("band").value = "0";
  if (!book) {
    if (fausett) $("step_at_zero").title = "Fausett's rule has its undecided band instead";
    else $("band").title = "Rosenblatt's rule has no undecided band (for a fixed theta, " +
      "use the threshold)";
  }
  $("book-note").textContent = book ? `${page.options.books[book]}.` : "";
}

// ------------------------------------------------------------------ the URL
export function settingsToUrl(settings) {
  const query = new URLSearchParams();
  for (const key of SETTING_KEYS) query.set(key, String(settings[key]));
  if (settings.dataset === "csv") {
    if (settings.upload) query.set("upload", settings.upload);
    const name = page.upload ? page.upload.filename : page.csvName;
    if (name) query.set("file", name);
  }
  if (!page.view.test) query.set("test", "0");
  if (page.view.discretize) query.set("discretize", "1");
  if (page.classroom.lesson) query.set("lesson", page.classroom.lesson);
  if (page.classroom.hide.length) query.set("hide", page.classroom.hide.join(","));
  history.replaceState(null, "", `${location.pathname}?${query}`);
}

// What is wrong with one value a link gives, or "" when the form can take it.
function problemWith(key, raw, options) {
  const text = raw.trim().toLowerCase();
  if (key in CHOICE_KEYS) {
    const known = choices(options, key);
    return known.includes(text) ? "" : `is not one of ${known.join(", ")}`;
  }
  if (NUMBER_KEYS.includes(key)) {
    // Decimal only: JavaScript's Number() would also read 0x10 as 16, which the server does not.
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text) ? "" : "is not a number";
  }
  if (key === "layers") {
    return /^(\d+(,\d+)*)?$/.test(text.replace(/\s/g, "")) ? "" :
      "is not a list of neuron counts like 8,8";
  }
  if (key === "activations") {
    const bad = text.split(",").filter((name) => !options.activations.includes(name.trim()));
    return bad.length ? `names no activation of ${options.activations.join(", ")}` : "";
  }
  if (key === "features") {
    const names = text.split(",").map((name) => name.trim()).filter(Boolean);
    const bad = names.filter((name) => !(name in options.features));
    if (!names.length) return "chooses no input";
    return bad.length ? `names no input of ${Object.keys(options.features).join(", ")}` : "";
  }
  if (key === "bias") return text in WORDS ? "" : "is not true or false";
  return "";
}

const asText = (settings) => Object.fromEntries(Object.entries(settings).map(
  ([key, value]) => [key, Array.isArray(value) ? value.join(",") : String(value)]));

// The settings a link asks for (over a lesson's, over the defaults), and what is wrong in it.
export function settingsFromUrl(options) {
  const query = new URLSearchParams(location.search);
  const problems = [];
  const settings = asText(options.defaults);
  let lesson = (query.get("lesson") || "").trim().toLowerCase();
  if (lesson && !(lesson in options.lessons)) {
    problems.push(`The link's lesson=${lesson} is not one of ${Object.keys(options.lessons)
      .join(", ")}.`);
    lesson = "";
  }
  if (lesson) Object.assign(settings, asText(options.lessons[lesson].settings));
  if (query.has("l2") && !query.has("regularization")) {  // an older link's way of writing it
    const l2 = Number(query.get("l2"));
    if (l2 > 0) Object.assign(settings, {regularization: "l2", strength: String(l2)});
  }
  for (const key of SETTING_KEYS) {
    if (!query.has(key)) continue;
    const raw = query.get(key);
    const problem = problemWith(key, raw, options);
    if (problem) problems.push(`The link's ${key}=${raw} ${problem}; using ${settings[key]}.`);
    else settings[key] = raw.trim();
  }
  if (query.has("upload")) settings.upload = query.get("upload");
  page.csvName = query.get("file") || "";
  page.view.test = !["0", "false", "no", "off"].includes(query.get("test"));
  page.view.discretize = ["1", "true", "yes", "on"].includes(query.get("discretize"));
  const named = query.has("hide") ? query.get("hide").split(",") :
    lesson ? options.lessons[lesson].hide : [];
  const hide = named.map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = hide.filter((name) => !options.hideable.includes(name));
  if (unknown.length) {
    problems.push(`The link hides ${unknown.join(", ")}, which the page does not have; it ` +
      `can hide ${options.hideable.join(", ")}.`);
  }
  page.classroom = {hide: hide.filter((name) => options.hideable.includes(name)), lesson};
  return {settings, problems};
}

// ------------------------------------------------------------------ the classroom
export function showClassroom() {
  const {hide, lesson} = page.classroom;
  document.querySelectorAll("[data-control]").forEach((el) => {
    el.classList.toggle("classroom-hidden", hide.includes(el.dataset.control));
  });
  const box = $("lesson");
  box.hidden = !lesson;
  document.querySelector("main").classList.toggle("with-lesson", Boolean(lesson));
  if (!lesson) return;
  const {title, paragraphs} = page.options.lessons[lesson];
  $("lesson-title").textContent = title;
  const body = $("lesson-text");
  body.textContent = "";
  for (const text of paragraphs) {
    const paragraph = document.createElement("p");
    paragraph.textContent = text;
    body.append(paragraph);
  }
}

export function fillPresets() {
  const select = $("preset");
  select.add(new Option("choose a preset", ""));
  for (const [key, preset] of Object.entries(page.options.presets)) {
    select.add(new Option(preset.title, key));
  }
  select.addEventListener("change", () => {
    const preset = page.options.presets[select.value];
    select.value = "";
    if (!preset) return;
    writeSettings({...readSettings(), ...asText(preset.settings)});
    hooks.reset();
  });
}
