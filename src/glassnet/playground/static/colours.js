// Colours and the maps' bytes: the classes, and the scales the maps are painted with.
"use strict";

import {page} from "./state.js";

export const CLASS_COLOURS = [
  [245, 147, 34], [8, 119, 189], [46, 160, 67], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

export const rgb = (colour) => `rgb(${colour.join(",")})`;

// Each state's base64 maps are decoded once, however many pictures use them.
export function decoded(holder, key) {
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

// A diverging scale for values in [0, 1]: orange, white, blue (as two classes are coloured).
export function paintDiverging(image, i, t) {
  const colour = t < 0.5 ? CLASS_COLOURS[0] : CLASS_COLOURS[1];
  const strength = Math.abs(t - 0.5) * 2;
  for (let c = 0; c < 3; c++) image.data[4 * i + c] = 255 - (255 - colour[c]) * strength;
  image.data[4 * i + 3] = 255;
}

// Dark to light grey: the neuron maps' scale when three or more classes use the colours.
export function paintGrey(image, i, t) {
  const value = 40 + 215 * t;
  for (let c = 0; c < 3; c++) image.data[4 * i + c] = value;
  image.data[4 * i + 3] = 255;
}

// The scale of the neuron maps: it must not be mistaken for a class.
export function neuronPaint() {
  const classes = page.data ? page.data.classes.length : 0;
  return classes > 2 ? paintGrey : paintDiverging;
}

// A map (bytes 0..255) as an image, painted with a scale.
export function mapImage(values, size, paint) {
  const image = new ImageData(size, size);
  for (let i = 0; i < values.length; i++) paint(image, i, values[i] / 255);
  return image;
}

// A CSS gradient of a scale, for its legend.
export function scaleGradient(paint) {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const swatch = new ImageData(1, 1);
    paint(swatch, 0, t);
    return `rgb(${swatch.data[0]},${swatch.data[1]},${swatch.data[2]}) ${t * 100}%`;
  });
  return `linear-gradient(to right, ${stops.join(", ")})`;
}
