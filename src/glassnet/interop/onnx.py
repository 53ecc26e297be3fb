"""A door out to ONNX: a glassnet network (or a fitted estimator) as an ONNX model.

Every layer and activation has its ONNX form: a Dense layer is MatMul and Add; sigmoid,
tanh, ReLU and softmax (axis 1) are ONNX's own operators; leaky ReLU is
Where(z > 0, z, slope * z) with the slope in the model's dtype (ONNX's LeakyRelu holds it
in float32); step and sign are comparisons (step: z > 0, sign: (z > t) - (z < t)), so
every runtime computes them the same; Standardize is Sub and Div; Dropout, which
changes nothing at prediction, is left out. A classifier gives two outputs, as skl2onnx
names them: ``label`` (the class labels, numbers or text) and ``probabilities`` (n,
n_classes; two columns for one sigmoid output). Anything else gives ``variable``, the
output layer's values. float32 by default, float64 on request. Needs the ``onnx``
extra: ``pip install 'glassnet[onnx]'`` (onnx, and onnxruntime to run the model).

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 3, "relu"), Dense(3, 1, "identity")], seed=0)
    >>> [node.op_type for node in to_onnx(net).graph.node]
    ['MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'Identity']
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from glassnet.engine.activations import (
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Sign,
    Softmax,
    Step,
    Tanh,
)
from glassnet.engine.layers import Dense, Dropout, Standardize
from glassnet.engine.network import Network
from glassnet.engine.targets import Targets
from glassnet.files import write_atomically

if TYPE_CHECKING:
    from onnx import ModelProto, ValueInfoProto  # the onnx extra: needed only to run

__all__ = ["save_onnx", "to_onnx"]

OPSET = 17


def _onnx() -> ModuleType:
    try:
        import onnx
    except ImportError as error:
        raise ImportError(
            "glassnet.interop.to_onnx needs the onnx package: pip install 'glassnet[onnx]'"
        ) from error
    return onnx


def _network_of(model: object) -> Network:
    """The network of a Network, or of a fitted glassnet estimator (its ``network_``)."""
    network = getattr(model, "network_", model)
    if not isinstance(network, Network):
        raise TypeError(
            f"to_onnx takes a glassnet Network or a fitted glassnet estimator, got "
            f"{type(model).__name__}"
        )
    return network


class _Graph:
    """The nodes and constants of the graph being written, and fresh names for both."""

    def __init__(self, onnx: ModuleType, dtype: np.dtype[Any]) -> None:
        self.onnx, self.dtype = onnx, dtype
        self.nodes: list[Any] = []  # onnx's NodeProto
        self.constants: list[Any] = []  # onnx's TensorProto
        self.count = 0

    def name(self, stem: str) -> str:
        self.count += 1
        return f"{stem}_{self.count}"

    def constant(self, stem: str, value: ArrayLike, dtype: DTypeLike | None = None) -> str:
        array = np.asarray(value, dtype=dtype or self.dtype)
        name = self.name(stem)
        self.constants.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def node(self, op: str, inputs: list[str], stem: str | None = None, **attributes: Any) -> str:
        output = self.name(stem or op.lower())
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [output], **attributes))
        return output


def _activation(graph: _Graph, activation: Activation, z: str) -> str:
    """The ONNX nodes of one activation applied to z; returns the output's name."""
    kind = type(activation)
    if kind is Identity:
        return z
    simple = {Sigmoid: "Sigmoid", Tanh: "Tanh", ReLU: "Relu"}
    if kind in simple:
        return graph.node(simple[kind], [z])
    if type(activation) is LeakyReLU:  # ONNX's LeakyRelu keeps its slope in float32: a constant
        slope = graph.node("Mul", [z, graph.constant("slope", activation.slope)])
        above = graph.node("Greater", [z, graph.constant("zero", 0.0)])
        return graph.node("Where", [above, z, slope])
    if kind is Softmax:
        return graph.node("Softmax", [z], axis=1)
    to = graph.onnx.helper.np_dtype_to_tensor_dtype(graph.dtype)
    if kind is Step:  # 1 where z > 0, else 0
        above = graph.node("Greater", [z, graph.constant("zero", 0.0)])
        return graph.node("Cast", [above], to=to)
    if type(activation) is Sign:  # (z > t) - (z < t)
        threshold = graph.constant("threshold", activation.threshold)
        above = graph.node("Cast", [graph.node("Greater", [z, threshold])], to=to)
        below = graph.node("Cast", [graph.node("Less", [z, threshold])], to=to)
        return graph.node("Sub", [above, below])
    raise ValueError(f"ONNX export has no form for the activation {activation.name!r}")


def _layers(graph: _Graph, network: Network, x: str) -> str:
    for index, layer in enumerate(network.layers, start=1):
        if isinstance(layer, Dropout):  # the identity at prediction
            continue
        if isinstance(layer, Standardize):
            x = graph.node("Sub", [x, graph.constant("mean", layer.mean)])
            x = graph.node("Div", [x, graph.constant("scale", layer.scale)])
            continue
        if not isinstance(layer, Dense):
            raise ValueError(f"ONNX export has no form for layer {index}: {layer!r}")
        x = graph.node("MatMul", [x, graph.constant(f"W{index}", layer.weights)])
        if layer.bias is not None:
            x = graph.node("Add", [x, graph.constant(f"b{index}", layer.bias)])
        x = _activation(graph, layer.activation, x)
    return x


def _classifier_outputs(graph: _Graph, targets: Targets, output: str) -> list[ValueInfoProto]:
    """``label`` and ``probabilities`` from the output layer's values."""
    onnx = graph.onnx
    if targets.kind == "binary":
        one = graph.constant("one", 1.0)
        output = graph.node("Concat", [graph.node("Sub", [one, output]), output], axis=1)
    graph.nodes.append(onnx.helper.make_node("Identity", [output], ["probabilities"]))
    index = graph.node("ArgMax", [output], axis=1, keepdims=0)
    classes = np.asarray(targets.classes)
    if classes.dtype.kind in "OUS":
        labels, element = classes.astype(str).astype(object), onnx.TensorProto.STRING
    elif classes.dtype.kind in "iub":
        labels, element = classes.astype(np.int64), onnx.TensorProto.INT64
    else:
        labels, element = classes.astype(np.float64), onnx.TensorProto.DOUBLE
    name = graph.name("classes")
    graph.constants.append(onnx.numpy_helper.from_array(labels, name))
    graph.nodes.append(onnx.helper.make_node("Gather", [name, index], ["label"], axis=0))
    n_classes = len(classes)
    real = onnx.helper.np_dtype_to_tensor_dtype(graph.dtype)
    return [
        onnx.helper.make_tensor_value_info("label", element, ["N"]),
        onnx.helper.make_tensor_value_info("probabilities", real, ["N", n_classes]),
    ]


def to_onnx(model: object, dtype: DTypeLike = np.float32, name: str = "glassnet") -> ModelProto:
    """The network (or a fitted estimator's ``network_``) as an ``onnx.ModelProto``.

    The input is ``X`` of shape (N, n_inputs); a classifier's outputs are ``label`` and
    ``probabilities``, anything else's ``variable``. ``dtype`` is np.float32 (default) or
    np.float64, for the input, the weights and the outputs. The model is checked with
    ``onnx.checker`` before it is returned.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 2, "softmax")], loss="crossentropy", seed=0)
        >>> _ = net.encode_targets([[0.0, 1.0], [1.0, 0.0]], ["a", "b"])  # as fit does
        >>> [output.name for output in to_onnx(net).graph.output]
        ['label', 'probabilities']
    """
    onnx = _onnx()
    real_dtype = np.dtype(dtype)
    if real_dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {real_dtype}")
    network = _network_of(model)
    graph = _Graph(onnx, real_dtype)
    real = onnx.helper.np_dtype_to_tensor_dtype(real_dtype)
    output = _layers(graph, network, "X")
    targets = network.targets
    if targets is not None and targets.kind in ("classes", "binary"):
        outputs = _classifier_outputs(graph, targets, output)
    else:
        graph.nodes.append(onnx.helper.make_node("Identity", [output], ["variable"]))
        outputs = [onnx.helper.make_tensor_value_info("variable", real, ["N", network.n_outputs])]
    inputs = [onnx.helper.make_tensor_value_info("X", real, ["N", network.n_inputs])]
    body = onnx.helper.make_graph(graph.nodes, name, inputs, outputs, graph.constants)
    proto = onnx.helper.make_model(
        body, producer_name="glassnet", opset_imports=[onnx.helper.make_opsetid("", OPSET)]
    )
    proto.ir_version = 8  # read by every onnxruntime since 1.14
    onnx.checker.check_model(proto)
    return proto


def save_onnx(model: object, path: str | Path, dtype: DTypeLike = np.float32) -> Path:
    """Write ``to_onnx(model, dtype)`` to ``path`` (whole or not at all); returns the path.

    Example:
        >>> import tempfile
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid")], seed=0)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     save_onnx(net, Path(folder) / "net.onnx").stat().st_size > 0
        True
    """
    data = to_onnx(model, dtype).SerializeToString()
    target = Path(path)

    def write(temporary: str) -> None:
        Path(temporary).write_bytes(data)

    write_atomically(target, write)
    return target
