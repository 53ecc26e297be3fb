"""The classroom: lessons shown beside the page, the controls a link may hide, and presets.

A classroom link names a lesson and the controls to hide, for instance
``/?lesson=xor&hide=optimizer,loss``: the page shows the lesson's text beside the run,
starts from the lesson's settings (the link's own settings win), and hides the controls
named (``HIDEABLE``; without ``hide`` the lesson's own list). A preset fills in the
settings of a known run, such as tutorial 002's perceptron on the OR gate.

Example:
    >>> sorted(LESSONS)
    ['features', 'learning-rate', 'overfitting', 'xor']
    >>> PRESETS["tutorial-002"]["settings"]["lr"], PRESETS["fausett-and"]["settings"]["lr"]
    (0.1, 1.0)
"""

from __future__ import annotations

from typing import Any

from glassnet.glassbox.tutorials import TEXTBOOK_TABLES

__all__ = ["HIDEABLE", "LESSONS", "PRESETS"]

# The names a link's ``hide`` may list: the settings' controls, and the page's other parts.
HIDEABLE = (
    "mode", "preset", "dataset", "upload", "points", "noise", "split", "seed", "features",
    "layers", "activations", "loss", "optimizer", "lr", "batch", "regularization", "bias",
    "rule", "book", "test", "discretize", "export", "link", "formula",
)  # fmt: skip

LESSONS: dict[str, dict[str, Any]] = {
    "xor": {
        "title": "Why XOR needs a hidden layer",
        "settings": {
            "dataset": "xor",
            "layers": "",
            "features": "x1,x2",
            "noise": 0.1,
            "lr": 0.03,
            "optimizer": "adam",
        },  # fmt: skip
        "hide": ["optimizer", "loss", "batch", "regularization", "mode", "preset"],
        "paragraphs": [
            "In XOR each class holds two opposite corners of the square. No straight line "
            "puts both blue corners on one side and both orange corners on the other.",
            "Press Play. Without a hidden layer the network is a single sigmoid neuron, and "
            "its boundary is a straight line: the accuracy stays close to one half however "
            "long it trains.",
            'Now press + next to "0 hidden layers" to add a layer of four neurons, and '
            "play again. Each hidden neuron draws a line of its own (hover over it to see "
            "its map) and the output neuron combines them into two bands.",
            "Another way: with no hidden layer, tick the input x1*x2. Its sign alone tells "
            "the classes apart, so one neuron learns XOR after all.",
        ],
    },
    "learning-rate": {
        "title": "How large a step?",
        "settings": {
            "dataset": "gauss",
            "layers": "6",
            "optimizer": "sgd",
            "lr": 0.8,
            "batch": 10,
        },  # fmt: skip
        "hide": ["optimizer", "loss", "regularization", "mode", "preset", "features"],
        "paragraphs": [
            "Each update moves every weight by the learning rate times its gradient. The "
            "gradient only says which way is downhill near where the weights are now.",
            "Press Play at the learning rate of 0.8: the steps overshoot, and the loss jumps "
            "up and down instead of settling (watch the chart).",
            "While it plays, set the learning rate to 0.1. Training goes on from the same "
            "weights (the epoch count keeps growing) and the loss now falls steadily.",
            "Then try 0.01: every step is safe but small, and the loss creeps down. And after "
            "a Reset, try 2: the loss grows until it is too large to count, and the run stops "
            "and says so. A good rate is about the largest one whose loss still falls.",
        ],
    },
    "overfitting": {
        "title": "Learning the noise",
        "settings": {
            "dataset": "circles",
            "points": 60,
            "noise": 0.35,
            "split": 0.5,
            "layers": "16,16",
            "activations": "relu",
            "optimizer": "adam",
            "lr": 0.03,
            "regularization": "none",
            "seed": 3,
        },  # fmt: skip
        "hide": ["optimizer", "loss", "batch", "mode", "preset", "features"],
        "paragraphs": [
            "Thirty training points, much noise, and two layers of sixteen neurons: far "
            "more weights than the points can pin down.",
            "Press Play and watch the two loss lines. The training loss keeps falling; the "
            "test loss (dashed) stops falling and then climbs: the network is learning "
            "where the noise put each training point, not the circle.",
            "While it plays, choose L2 regularisation with strength 0.01. Large weights now "
            "cost loss, the boundary smooths out and the test loss comes back down.",
            "L1 (strength 0.003) pulls every weight towards zero by the same small step "
            "instead, so the weights that matter little end up near zero: hover over the "
            "neurons and see how many stop mattering.",
        ],
    },
    "features": {
        "title": "A better input instead of more neurons",
        "settings": {"dataset": "circles", "layers": "", "features": "x1,x2", "noise": 0.05},
        "hide": ["optimizer", "loss", "batch", "regularization", "mode", "preset", "layers"],
        "paragraphs": [
            "One ring of points inside another. A network without a hidden layer can only "
            "draw a straight line: press Play and it stays near one half.",
            "Tick x1^2 and x2^2. Their sum is the squared distance from the centre, and a "
            "straight line in those inputs is a circle in the picture: the single neuron "
            "now separates the rings.",
            "This is what a hidden layer does by itself: it learns inputs of its own that "
            "make the last step a straight line.",
        ],
    },
}

PRESETS: dict[str, dict[str, Any]] = {
    "tutorial-002": {
        "title": "tutorial 002: the OR gate (no bias, alpha 0.1)",
        "settings": {"mode": "perceptron", "book": "", "dataset": "or", "points": 4,
                     "noise": 0, "split": 1, "seed": 42, "lr": 0.1, "bias": False},
    },
}  # fmt: skip
# One preset per textbook table the perceptron reproduces: the book's four rows and rule
# (its alpha and whether it learns a bias shown in the form, as the book sets them).
TITLES = {"negnevitsky-and": "Negnevitsky's AND (theta 0.2, alpha 0.1, w = (0.3, -0.1))",
          "fausett-and": "Fausett's AND (bipolar, band 0.2, alpha 1, from zeros)"}  # fmt: skip
for _name, _book in TEXTBOOK_TABLES.items():
    PRESETS[_name] = {
        "title": TITLES.get(_name, _book.citation),
        "settings": {"mode": "perceptron", "book": _name, "dataset": "and", "points": 4,
                     "noise": 0, "split": 1, "lr": _book.settings["learning_rate"],
                     "bias": _book.settings.get("bias") is not None},
    }  # fmt: skip
