// Talking to the server, and the page's two message boxes.
"use strict";

import {page, $} from "./state.js";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// One request. A POST carries the page's next sequence number; its answer carries it back.
export async function api(path, body) {
  let options = {};
  if (body !== undefined) {
    body = {...body, seq: ++page.seq};
    options = {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)};
  }
  const response = await fetch(path, options);
  let payload;
  try {
    payload = await response.json();
  } catch (error) {
    throw new ApiError(`the server answered ${response.status} without a readable message`,
      response.status);
  }
  if (!response.ok) throw new ApiError(payload.error || `error ${response.status}`, response.status);
  return payload;
}

// The run's messages: an error or a note, replaced by the next one, cleared by a new run.
export function showMessage(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = kind;
  box.hidden = !text;
}

// What the page found in its link: it stays until it is dismissed.
export function showNotice(text) {
  $("notice-text").textContent = text;
  $("notice").hidden = !text;
}
