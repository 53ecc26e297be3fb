// The formula panel: the chosen neuron's, weight's or bias's formulas with the numbers of the
// step on screen, and the field that sets a weight or a bias by hand.
"use strict";

import {page, $} from "./state.js";
import {api, showMessage} from "./api.js";
import {drawNetwork, nameOf, valueOf} from "./diagram.js";

// Chosen by a person: the panel follows, and a screen reader hears one short line (the panel
// itself is not a live region, so the refreshes during Play stay quiet).
export async function select(target, sessionCall) {
  page.selected = target;
  drawNetwork();
  showEditor();
  try {
    const title = await inspect(target, sessionCall);
    if (title) $("formula-announce").textContent = title;
  } catch (error) {
    showMessage(error.message);
  }
}

export async function inspect(target, sessionCall) {
  if (!page.session || !target) return "";
  const [split, index] = [page.sample.split, page.sample.index];
  const reply = await sessionCall("/api/inspect", {
    layer: target.layer, neuron: target.neuron, source: target.source, split, sample: index,
  });
  if (!reply || page.selected !== target) return "";  // a newer choice came meanwhile
  const title = `${reply.title} - ${split} sample ${index}`;
  $("formula-title").textContent = title;
  $("formula-lines").textContent = reply.lines.join("\n");
  return title;
}

// The editor shows the chosen weight or bias; it is not overwritten while someone types in it.
export function showEditor() {
  const form = $("editor");
  const target = page.selected;
  const editable = Boolean(target && target.source !== null && page.state &&
    !page.state.perceptron && page.diagram);
  form.hidden = !editable;
  if (!editable) return;
  $("edit-label").textContent = `${nameOf(target)} =`;
  const input = $("edit-value");
  if (document.activeElement !== input) input.value = Number(valueOf(target).toPrecision(6));
}

export async function submitEdit(event, sessionCall, applyReply) {
  event.preventDefault();
  const target = page.selected;
  const text = $("edit-value").value.trim();
  const value = Number(text);
  if (!target || text === "" || !Number.isFinite(value)) {
    showMessage(`type a number for ${target ? nameOf(target) : "the weight"}, like 0.5 or ` +
      `-1.2; got '${text}'`);
    return;
  }
  try {
    const reply = await sessionCall("/api/edit", {layer: target.layer, neuron: target.neuron,
      source: target.source, value});
    if (!reply || reply.session !== page.session) return;
    applyReply(reply);
    showMessage(`${nameOf(target)} set to ${value} at epoch ${reply.epoch}: the run goes on ` +
      "from there", "info");
    $("edit-value").blur();
    await inspect(target, sessionCall);
  } catch (error) {
    showMessage(error.message);
  }
}
