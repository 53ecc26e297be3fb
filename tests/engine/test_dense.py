"""The Dense layer's passes into kept arrays (while fit runs) against its plain passes."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.engine.batch_arrays import BatchArrays

# (rows, inputs, units): the XOR network's layers, one row, one input, one unit, and a
# slice of the benchmark's MLP; the products take np.dot on the kept arrays, np.matmul on
# new ones, and must agree to the bit, transposed views (X^T delta, delta W^T) included.
SHAPES = [(4, 2, 4), (4, 4, 1), (1, 3, 2), (5, 1, 3), (1, 1, 1), (128, 784, 256), (37, 10, 1)]


def _same_bits(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert np.array_equal(a.view(np.uint8), b.view(np.uint8))


def _pass(layer, X, grad, keep):
    layer.reuse_buffers(keep)
    a = layer.forward(X, training=True).copy()
    dX = layer.backward(grad).copy()
    return a, dX, layer.grad_weights.copy(), layer.grad_bias.copy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("rows", "inputs", "units"), SHAPES)
def test_a_pass_into_kept_arrays_gives_the_plain_pass_bit_for_bit(dtype, rows, inputs, units):
    rng = np.random.default_rng(rows * 1000 + inputs * 10 + units)
    layer = gn.Dense(inputs, units, "tanh", bias=rng.standard_normal(units))
    layer.build(rng, dtype)
    X = rng.standard_normal((rows, inputs)).astype(dtype)
    grad = rng.standard_normal((rows, units)).astype(dtype)
    plain = _pass(layer, X, grad, keep=False)
    kept = _pass(layer, X, grad, keep=True)
    for got, expected in zip(kept, plain, strict=True):
        _same_bits(got, expected)
    # and dE/dW is X^T (dE/da * (1 - a^2)), summed in float64 here
    by_hand = X.T.astype(np.float64) @ (grad * (1 - plain[0].astype(np.float64) ** 2))
    tolerance = 1e-3 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(plain[2], by_hand, rtol=tolerance, atol=tolerance)


def test_a_delta_of_another_dtype_takes_the_plain_products():
    layer = gn.Dense(3, 2, "identity")
    layer.build(np.random.default_rng(0), np.float32)
    layer.reuse_buffers(True)
    X = np.ones((4, 3), np.float32)
    layer.forward(X, training=True)
    dX = layer.backward_delta(np.ones((4, 2)))  # float64, from a loss of one's own
    assert dX.dtype == np.float64 and layer.grad_weights.dtype == np.float32
    np.testing.assert_array_equal(layer.grad_weights, np.full((3, 2), 4.0))


def test_kept_arrays_of_a_smaller_batch_are_the_leading_rows_of_the_largest():
    kept = BatchArrays(3, 2, np.float64)
    largest = kept.of(8)
    dX = kept.input_gradient(8)
    smaller = kept.of(5)
    assert all(s.base is big for s, big in zip(smaller, largest, strict=True))
    assert kept.input_gradient(5).base is dX.base and kept.input_gradient(5).shape == (5, 3)
    assert kept.of(5) is smaller  # the same arrays every pass of that size
    larger = kept.of(10)  # new arrays, and the smaller batches' views are made again
    assert not np.shares_memory(larger[0], largest[0])
    assert kept.of(5)[0].base is larger[0] and kept.input_gradient(5).shape == (5, 3)
    assert not np.shares_memory(kept.input_gradient(10), dX)
