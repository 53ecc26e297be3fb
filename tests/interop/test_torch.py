"""PyTorch both ways: to_torch and from_torch give the same outputs to 1e-12 in float64,
for Linear and every activation PyTorch has, and refuse what they cannot express."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from glassnet import Dense, Dropout, Network, Standardize  # noqa: E402
from glassnet.interop import from_torch, to_torch  # noqa: E402

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_to_torch_gives_the_same_outputs(activation):
    rng = np.random.default_rng(0)
    loss = "crossentropy" if activation == "softmax" else "mse"
    layers = [Standardize(rng.normal(size=4), rng.uniform(0.5, 2, size=4)),
              Dense(4, 6, activation), Dropout(0.2), Dense(6, 3, activation)]  # fmt: skip
    network = Network(layers, seed=0, loss=loss)
    X = rng.normal(size=(50, 4))
    with torch.no_grad():
        got = to_torch(network)(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(got, network.forward(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_from_torch_gives_the_same_outputs(activation):
    torch.manual_seed(0)
    modules = {"identity": torch.nn.Identity(), "sigmoid": torch.nn.Sigmoid(),
               "tanh": torch.nn.Tanh(), "relu": torch.nn.ReLU(),
               "leaky_relu": torch.nn.LeakyReLU(0.2),
               "softmax": torch.nn.Softmax(dim=1)}  # fmt: skip
    module = torch.nn.Sequential(torch.nn.Linear(4, 5), modules[activation],
                                 torch.nn.Linear(5, 2, bias=False)).double()  # fmt: skip
    network = from_torch(module)
    X = np.random.default_rng(1).normal(size=(40, 4))
    with torch.no_grad():
        expected = module(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(network.forward(X), expected, rtol=1e-12, atol=1e-12)
    assert network.dtype == np.float64 and network.layers[1].use_bias is False
    back = to_torch(network)  # and round again
    with torch.no_grad():
        np.testing.assert_allclose(back(torch.from_numpy(X)).numpy(), expected, rtol=1e-12)


def test_what_cannot_be_expressed_is_refused_in_one_line():
    with pytest.raises(ValueError, match="module 0 .*Conv1d.* has no glassnet form"):
        from_torch(torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3)))
    with pytest.raises(ValueError, match="module 1 .*GELU.* has no glassnet form"):
        from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.GELU()))
    with pytest.raises(ValueError, match="must end with a Linear layer"):
        from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.5)))
    with pytest.raises(ValueError, match="'step' has no PyTorch module"):
        to_torch(Network([Dense(2, 1, "step")], seed=0))
