"""Doors out of glassnet: ONNX (``to_onnx``, ``save_onnx``) and PyTorch (``to_torch``,
``from_torch``), for a user who carries a model on to another library.

Each needs its own package (onnx, or torch) only when called: ``import glassnet.interop``
imports neither. In modules: ``onnx`` and ``torch``.

Example:
    >>> sorted(__all__)
    ['from_torch', 'save_onnx', 'to_onnx', 'to_torch']
"""

from glassnet.interop.onnx import save_onnx, to_onnx
from glassnet.interop.torch import from_torch, to_torch

__all__ = ["from_torch", "save_onnx", "to_onnx", "to_torch"]
