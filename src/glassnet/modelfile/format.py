"""The model file format: its name and version, the limits a reader keeps, and the two
types every reader and writer shares (``ModelFileError``, ``ModelFile``).

Example:
    >>> FORMAT, FORMAT_VERSION, MODEL_JSON
    ('glassnet-model', 2, 'model.json')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from glassnet.engine.network import Network
    from glassnet.engine.perceptron import Perceptron

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LABEL_TYPES",
    "MAX_ARRAY_ENTRIES",
    "MAX_JSON_BYTES",
    "MODEL_JSON",
    "NPY_HEADER_BYTES",
    "ModelFile",
    "ModelFileError",
    "glassnet_version",
]

FORMAT = "glassnet-model"
# 2: Dense layers with l1; perceptrons with a threshold, step_at_zero, Fausett's rule, a
# band, exact arithmetic or penalties. A file that needs none of these is written as 1, so
# that an older glassnet still reads it; one that needs them is 2, so that an older
# glassnet refuses it ("upgrade") rather than read a different model.
FORMAT_VERSION = 2
MODEL_JSON = "model.json"
MAX_JSON_BYTES = 16 * 2**20
NPY_HEADER_BYTES = 4096  # generous: a .npy header is 128 bytes for these arrays
# A model file holds at most this many numbers (1 GiB of float64): a file that declares
# more is refused before anything is allocated.
MAX_ARRAY_ENTRIES = 2**27

# Class labels are stored in model.json as JSON values plus the NumPy type they had.
LABEL_TYPES: dict[str, tuple[type, tuple[type, ...]]] = {
    "str": (np.str_, (str,)),
    "int": (np.int64, (int,)),
    "float": (np.float64, (int, float)),
    "bool": (np.bool_, (bool,)),
}


class ModelFileError(ValueError):
    """A file that is not a readable glassnet model; the message names the file and why.

    Example:
        >>> import os, pathlib, tempfile
        >>> from glassnet.modelfile import read
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "notes.txt")
        ...     _ = pathlib.Path(path).write_text("not a model")
        ...     try:
        ...         read(path)
        ...     except ModelFileError as error:
        ...         print(str(error).removeprefix(folder + os.sep))  # doctest: +ELLIPSIS
        notes.txt: not a glassnet model file (not a zip archive); ...
    """


@dataclass
class ModelFile:
    """What ``read`` returns: the model and everything model.json says besides it.

    Example:
        >>> import os, tempfile
        >>> from glassnet import Perceptron
        >>> from glassnet.modelfile import read, save
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "or.glassnet")
        ...     _ = save(Perceptron(2, weights=[1.0, -1.0]), path, metadata={"data": "OR"})
        ...     model_file = read(path)
        >>> model_file.model.weights, model_file.metadata, model_file.format_version
        (array([ 1., -1.]), {'data': 'OR'}, 1)
    """

    model: Network | Perceptron
    metadata: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    glassnet_version: str = ""


def glassnet_version() -> str:
    """The version of the glassnet that writes or reads a file.

    Example:
        >>> glassnet_version().count(".") >= 1
        True
    """
    # Imported here: the package imports this module before it defines __version__.
    from glassnet import __version__

    return __version__
