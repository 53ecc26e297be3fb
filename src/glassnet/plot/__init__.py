"""Pictures: decision regions, loss curves, network diagrams and training animations.

Drawn with matplotlib, an optional extra (``pip install 'glassnet[plot]'``); the rest of
glassnet never imports it. Each function draws into the ``ax`` it is given and returns
it, or makes a new figure and returns the ``Figure``; ``save`` writes either to a file.

Colours come from the Okabe-Ito palette, which colour-blind readers can tell apart, and
every class or sign also differs in shape or line style, so the pictures still read in
greyscale.

The pictures live in one module each: ``regions`` (decision_boundary), ``curves``
(loss_curve), ``diagram`` (network_diagram), ``animation`` (training_animation), ``graph``
(computation_graph: one sample's values and gradients, node by node, as SVG or PNG),
``examples`` (the built-in examples and the demo's pictures), and ``figures`` (the
palette, new axes and ``save``, which they share).

Example:
    >>> import glassnet as gn
    >>> from glassnet import plot
    >>> from glassnet.datasets import logic_gate
    >>> X, y = logic_gate("OR")
    >>> perceptron = gn.Perceptron(2, weights=[0.49671415, -0.1382643]).fit(X, y)
    >>> figure = plot.decision_boundary(perceptron, X, y)
    >>> plot.save(figure, "or.png")  # doctest: +SKIP
"""

# First, before any module that draws: figures holds the guard that turns a missing
# matplotlib into one ImportError saying how to install it.
from glassnet.plot.figures import PALETTE, save

# isort: split
from glassnet.plot.animation import training_animation
from glassnet.plot.curves import loss_curve
from glassnet.plot.diagram import network_diagram
from glassnet.plot.examples import EXAMPLES, Example, example, save_demo_pictures
from glassnet.plot.graph import ComputationGraph, computation_graph
from glassnet.plot.regions import decision_boundary

__all__ = [
    "PALETTE",
    "ComputationGraph",
    "Example",
    "EXAMPLES",
    "computation_graph",
    "decision_boundary",
    "example",
    "loss_curve",
    "network_diagram",
    "save",
    "save_demo_pictures",
    "training_animation",
]
