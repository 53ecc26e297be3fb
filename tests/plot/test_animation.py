"""glassnet.plot.animation: a frame per epoch, or every few epochs, written as a GIF."""

import os
from itertools import pairwise

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import glassnet as gn  # noqa: E402
from glassnet import plot  # noqa: E402
from glassnet.datasets import logic_gate  # noqa: E402


def test_perceptron_animation_has_a_frame_per_epoch(tmp_path, or_start, gif_frames):
    X, y = logic_gate("OR")
    perceptron = or_start
    path = tmp_path / "or.gif"
    plot.training_animation(perceptron, X, y, path)
    frames = gif_frames(path)
    # The start and three epochs; the held last frame merges into one long GIF frame.
    assert len(frames) == 4
    assert all(not np.array_equal(a, b) for a, b in pairwise(frames))
    assert perceptron.converged  # the animation trained the perceptron given to it
    assert os.listdir(tmp_path) == ["or.gif"]


def test_network_animation_takes_a_frame_every_few_epochs(tmp_path, gif_frames):
    X, y = logic_gate("XOR")
    network = gn.Network(
        [gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "sigmoid")], loss="binary_crossentropy", seed=0
    )
    animation = plot.training_animation(
        network, X, y, tmp_path / "xor.gif", epochs=40, every=10, learning_rate=0.5, resolution=30
    )
    assert len(network.history) == 40
    frames = gif_frames(tmp_path / "xor.gif")
    assert 2 <= len(frames) <= 5  # epochs 0, 10, 20, 30, 40 (identical neighbours merge)
    assert animation is not None


def test_animation_errors(tmp_path, or_start):
    X, y = logic_gate("OR")
    perceptron = or_start
    with pytest.raises(ValueError, match="end the name in .gif"):
        plot.training_animation(perceptron, X, y, tmp_path / "or.png")
    with pytest.raises(ValueError, match="takes no \\['learning_rate'\\]"):
        plot.training_animation(perceptron, X, y, learning_rate=0.5)
    with pytest.raises(ValueError, match=r"epochs must be a whole number in \[1, inf\), got 0"):
        plot.training_animation(perceptron, X, y, epochs=0)
    with pytest.raises(ValueError, match=r"every must be a whole number in \[1, inf\), got 0"):
        plot.training_animation(perceptron, X, y, every=0)
    with pytest.raises(ValueError, match=r"or.gif: the folder .*missing does not exist"):
        plot.training_animation(perceptron, X, y, tmp_path / "missing" / "or.gif")
    with pytest.raises(ValueError, match=r": is a folder; name the picture's file, such as"):
        plot.training_animation(perceptron, X, y, tmp_path)
    assert perceptron.epochs_ == []  # refused before training
