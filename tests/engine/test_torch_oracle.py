"""PyTorch as a float64 oracle: the same network, the same loss, the same gradients."""

import numpy as np
import pytest

from glassnet import Dense, Network

torch = pytest.importorskip("torch")

TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "identity": lambda z: z,
}


def torch_loss(name, z, y):
    if name == "crossentropy":
        return torch.nn.functional.cross_entropy(z, y.argmax(dim=1))
    if name == "binary_crossentropy":
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    if name == "mse":
        return torch.mean((z - y) ** 2)
    return 0.5 * torch.sum((torch.sigmoid(z) - y) ** 2)  # half_sse after a sigmoid


@pytest.mark.parametrize("hidden", sorted(TORCH_ACTIVATIONS))
@pytest.mark.parametrize(
    "output, loss",
    [("softmax", "crossentropy"), ("sigmoid", "binary_crossentropy"), ("identity", "mse"),
     ("sigmoid", "half_sse")],
)  # fmt: skip
def test_loss_and_gradients_match_pytorch(hidden, output, loss):
    rng = np.random.default_rng(0)
    k = 3 if output == "softmax" else 2
    net = Network([Dense(4, 5, hidden), Dense(5, 6, hidden), Dense(6, k, output)], loss, seed=1)
    X = rng.normal(size=(10, 4))
    Y = np.eye(k)[rng.integers(0, k, 10)] if output == "softmax" else rng.uniform(0, 1, (10, k))
    value = net.loss_and_gradients(X, Y)

    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in net.parameters]
    out = torch.tensor(X)
    for i in range(0, len(params), 2):
        out = out @ params[i] + params[i + 1]
        if i < len(params) - 2:
            out = TORCH_ACTIVATIONS[hidden](out)
    # `out` holds the output layer's z: torch_loss applies the output activation itself.
    expected = torch_loss(loss, out, torch.tensor(Y))
    expected.backward()
    assert value == pytest.approx(expected.item(), rel=1e-12)
    for mine, theirs in zip(net.gradients, params, strict=True):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-10, atol=1e-14)
