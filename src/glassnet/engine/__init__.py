"""The engine: numbers only. Layers, activations, losses, optimizers, the network and its
training loop, callbacks, diagnostics and the perceptron.

It imports nothing from the glass box, the command line, the playground, the plots or the
scikit-learn layer (``ARCHITECTURE.md``; ``tests/test_architecture.py`` checks it).
"""
