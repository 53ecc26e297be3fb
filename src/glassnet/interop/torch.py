"""A door out to PyTorch, and back: a glassnet network as a ``torch.nn.Sequential`` of
``Linear`` layers and activations, and such a module as a glassnet network.

The layouts differ by a transpose: glassnet computes z = X @ W + b with W of shape
(n_inputs, n_outputs); ``torch.nn.Linear`` computes X @ weight.T + bias with weight of
shape (n_outputs, n_inputs). The activations map one to one: sigmoid ``Sigmoid``, tanh
``Tanh``, ReLU ``ReLU``, leaky ReLU ``LeakyReLU(negative_slope)``, softmax
``Softmax(dim=1)``, identity (no module). Standardize becomes an affine ``Linear`` with
weights diag(1 / scale) and bias -mean / scale, so the module needs nothing of glassnet;
Dropout becomes ``Dropout``. Step and sign have no module in PyTorch and are refused in
one line, as is any module ``from_torch`` cannot express. Needs PyTorch.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], seed=0)
    >>> to_torch(net)
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
      (2): Linear(in_features=3, out_features=1, bias=True)
      (3): Sigmoid()
    )
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

from glassnet.engine.activations import (
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from glassnet.engine.layers import Dense, Dropout, Layer, Standardize
from glassnet.engine.network import Network

if TYPE_CHECKING:
    from torch import dtype as TorchDtype  # PyTorch is optional: needed only to run
    from torch.nn import Linear, Module, Sequential

__all__ = ["from_torch", "to_torch"]


def _torch() -> ModuleType:
    try:
        import torch
    except ImportError as error:
        raise ImportError("glassnet.interop.to_torch needs PyTorch: pip install torch") from error
    return torch


def _linear(
    torch: ModuleType, weights: np.ndarray, bias: np.ndarray | None, dtype: TorchDtype
) -> Linear:
    layer = torch.nn.Linear(weights.shape[0], weights.shape[1], bias=bias is not None)
    layer = layer.to(dtype)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(weights.T)))
        if bias is not None:
            layer.bias.copy_(torch.from_numpy(np.asarray(bias)))
    return layer


def _activation_module(torch: ModuleType, activation: Activation, index: int) -> Module | None:
    kind = type(activation)
    if kind is Identity:
        return None
    if type(activation) is LeakyReLU:
        return torch.nn.LeakyReLU(activation.slope)
    if kind is Softmax:
        return torch.nn.Softmax(dim=1)
    modules = {Sigmoid: torch.nn.Sigmoid, Tanh: torch.nn.Tanh, ReLU: torch.nn.ReLU}
    if kind not in modules:
        raise ValueError(
            f"layer {index}'s activation {activation.name!r} has no PyTorch module "
            "(step and sign cannot be expressed)"
        )
    return modules[kind]()


def to_torch(network: object) -> Sequential:
    """The network (or a fitted estimator's ``network_``) as a ``torch.nn.Sequential``
    in the network's dtype, giving the same outputs (to 1e-12 in float64).

    Example:
        >>> import numpy as np, torch
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "identity", weights=[[1.0], [2.0]], bias=[0.5])])
        >>> to_torch(net)(torch.tensor([[1.0, 1.0]], dtype=torch.float64)).item()
        3.5
    """
    torch = _torch()
    net = getattr(network, "network_", network)
    if not isinstance(net, Network):
        raise TypeError(
            f"to_torch takes a glassnet Network or a fitted glassnet estimator, got "
            f"{type(network).__name__}"
        )
    dtype = torch.float64 if net.dtype == np.float64 else torch.float32
    modules: list[Module] = []
    for index, layer in enumerate(net.layers, start=1):
        if isinstance(layer, Standardize):
            weights = np.diag(1.0 / layer.scale).astype(net.dtype)
            modules.append(_linear(torch, weights, -layer.mean / layer.scale, dtype))
        elif isinstance(layer, Dropout):
            modules.append(torch.nn.Dropout(layer.rate))
        elif isinstance(layer, Dense):
            modules.append(_linear(torch, layer.weights, layer.bias, dtype))
            activation = _activation_module(torch, layer.activation, index)
            if activation is not None:
                modules.append(activation)
        else:
            raise ValueError(f"layer {index} ({layer!r}) has no PyTorch form")
    return torch.nn.Sequential(*modules).eval()


def _activation_name(torch: ModuleType, module: Module) -> tuple[str, dict[str, float]] | None:
    """glassnet's activation for a PyTorch activation module, or None if it is none."""
    if isinstance(module, torch.nn.LeakyReLU):
        return "leaky_relu", {"slope": float(module.negative_slope)}
    if isinstance(module, torch.nn.Softmax):
        if module.dim not in (1, -1):
            raise ValueError(f"Softmax(dim={module.dim}) is not over the outputs (dim=1)")
        return "softmax", {}
    for cls, name in ((torch.nn.Sigmoid, "sigmoid"), (torch.nn.Tanh, "tanh"),
                      (torch.nn.ReLU, "relu"), (torch.nn.Identity, "identity")):  # fmt: skip
        if type(module) is cls:
            return name, {}
    return None


def from_torch(module: Module, loss: str = "mse", dtype: DTypeLike | None = None) -> Network:
    """A glassnet ``Network`` from a ``torch.nn.Sequential`` of ``Linear`` layers, each
    followed by at most one activation (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax(dim=1),
    Identity) or a Dropout; a ValueError names the first module it cannot express.

    ``loss`` is the network's loss for further training (PyTorch modules hold none);
    ``dtype`` defaults to the module's (float32 or float64).

    Example:
        >>> import torch
        >>> module = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(),
        ...                              torch.nn.Linear(4, 1))
        >>> from_torch(module)
        Network([Dense(2, 4, activation='relu'), Dense(4, 1, activation='identity')], loss='mse')
        >>> from_torch(torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3)))
        Traceback (most recent call last):
        ValueError: module 0 (Conv1d(1, 1, kernel_size=(3,), stride=(1,))) has no glassnet form: ...
    """
    torch = _torch()
    children = list(module) if isinstance(module, torch.nn.Sequential) else [module]
    layers: list[dict[str, Any] | Dropout] = []
    pending: dict[str, Any] | None = None
    weight: NDArray[Any]
    for index, child in enumerate(children):
        if isinstance(child, torch.nn.Linear):
            weight = child.weight.detach().cpu().numpy()
            bias = None if child.bias is None else child.bias.detach().cpu().numpy()
            dtype = dtype or weight.dtype
            pending = dict(n_inputs=weight.shape[1], n_outputs=weight.shape[0],
                           weights=weight.T, bias=bias, use_bias=bias is not None)  # fmt: skip
            layers.append(pending)
            continue
        if isinstance(child, torch.nn.Dropout):
            layers.append(Dropout(child.p))
            pending = None
            continue
        found = _activation_name(torch, child)
        if found is None or pending is None or "activation" in pending:
            why = ("only Linear, Dropout and Sigmoid, Tanh, ReLU, LeakyReLU, Softmax(dim=1), "
                   "Identity after a Linear layer")  # fmt: skip
            raise ValueError(f"module {index} ({child}) has no glassnet form: {why}")
        name, options = found
        pending["activation"] = {"name": name, **options} if options else name
    if not layers or not isinstance(layers[-1], dict):
        raise ValueError("the module must end with a Linear layer (and its activation)")
    built: list[Layer] = []
    for spec in layers:
        if isinstance(spec, dict):
            activation = spec.pop("activation", "identity")
            if isinstance(activation, dict):
                activation = LeakyReLU(activation["slope"])
            built.append(Dense(activation=activation, **spec))
        else:
            built.append(spec)
    return Network(built, loss=loss, dtype=dtype or np.float32)
