"""The engine: numbers only. Layers, activations, losses, optimizers, the network and its
training loop, callbacks, diagnostics and the perceptron.

Its modules, the lowest first: validation, arrays, display; activations, initializers,
metrics, optimizers; run, losses, layer, batch_arrays; dense; layers (every layer imported
from here); targets, callbacks; diagnostics_facts, diagnostics_units, diagnostics_training,
diagnostics; evaluation; training; lbfgs; network_layers, network_passes, network; recipes.
Beside them the perceptron: perceptron_rules, perceptron_epochs, separability,
perceptron_table, perceptron.

It imports nothing from the glass box, the command line, the playground, the plots or the
scikit-learn layer (``ARCHITECTURE.md``; ``tests/test_architecture.py`` checks it).
"""
