"""Model files: one zip holding ``model.json`` and the arrays as ``.npy``, never a pickle.

Inside a ``.glassnet`` file:

    model.json      format, format_version, glassnet_version, kind ("Network" or
                    "Perceptron"), the architecture (layers, activations, loss, dtype),
                    the class labels, the list of arrays, and ``metadata``: free JSON such
                    as the training settings and the final metric values (its key
                    "figures" is kept for the files already written)
    arrays/0.npy    the arrays in the order model.json lists them (weights, biases, the
    arrays/1.npy    means and scales of a Standardize layer), read with
    ...             ``numpy.load(allow_pickle=False)``

Loading rebuilds the model from names and numbers only: nothing in the file is executed.
Every field is checked (format version, known activation and loss names, shapes that fit
the architecture, finite numbers), and a file that is truncated, tampered with, from a
newer format or not a model at all is refused with a one-line ``ModelFileError``.

In modules: ``format`` (the format and its error), ``writing`` (save), ``reading`` (read,
load) and ``metadata`` (one checker for both).

Saving writes a temporary file in the same folder and renames it over the target, so a
crash or an error never leaves a half-written model and an existing file is replaced only
by a complete one.

Example:
    >>> import glassnet as gn
    >>> net = gn.Network([gn.Dense(2, 1, "sigmoid")], seed=0)
    >>> gn.save(net, "model.glassnet")  # doctest: +SKIP
    >>> gn.load("model.glassnet").predict([[0.3, 0.5]])  # doctest: +SKIP
"""

from glassnet.modelfile.format import FORMAT_VERSION, ModelFile, ModelFileError
from glassnet.modelfile.reading import load, read
from glassnet.modelfile.writing import save

__all__ = ["FORMAT_VERSION", "ModelFile", "ModelFileError", "save", "load", "read"]
