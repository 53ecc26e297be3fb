"""What the picture tests share: figures closed after each test, the OR perceptron of
tutorial 002, and a GIF read back frame by frame."""

import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet.datasets import logic_gate

OR_WEIGHTS = [0.49671415, -0.1382643]  # tutorial 002: legacy seed 42 randn(2)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    # Only when a test drew: some tests here run as if matplotlib were missing.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture
def or_start() -> gn.Perceptron:
    """Tutorial 002's perceptron before training."""
    return gn.Perceptron(2, learning_rate=0.1, weights=OR_WEIGHTS)


@pytest.fixture
def or_perceptron(or_start) -> gn.Perceptron:
    """Tutorial 002's perceptron trained on OR (three epochs)."""
    return or_start.fit(*logic_gate("OR"))


@pytest.fixture
def gif_frames():
    """Read a GIF back: its frames as RGB arrays."""
    from PIL import Image

    def read(path) -> list[np.ndarray]:
        with Image.open(path) as image:
            frames = []
            for number in range(image.n_frames):
                image.seek(number)
                frames.append(np.asarray(image.convert("RGB")))
        return frames

    return read
