// glassnet playground: the page's state, shared by its modules. The page keeps no model of
// its own: every number it shows comes from the server, which runs glassnet.
"use strict";

export const page = {
  options: null,
  session: null,       // the server's key of the run on screen
  start: null,         // the settings the run started from (a rebuild starts there again)
  journal: [],         // what changed while it trained: [{epoch, settings | edit}]
  data: null,
  state: null,
  upload: null,        // {upload, filename, ...} after a CSV is accepted
  csvName: "",         // the CSV a link names, when the page has not got it yet
  playing: false,
  history: {points: [], stride: 1},  // the loss chart: at most MAX_HISTORY points
  selected: null,      // {layer, neuron, source} of the formula panel (source: index, "bias")
  sample: {split: "train", index: 0},
  preview: null,       // {layer, index} of the neuron whose map the output panel shows
  frameTimes: [],
  view: {test: true, discretize: false},
  classroom: {hide: [], lesson: ""},
  seq: 0,              // the count of requests sent; each answer carries its own back
  createSeq: 0,        // the newest request for a new run: answers to older ones are dropped
};

export const $ = (id) => document.getElementById(id);

// Filled by app.js: what the drawing and control modules call back into.
export const hooks = {};
