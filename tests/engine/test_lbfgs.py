"""Network.fit(optimizer="lbfgs"): SciPy's L-BFGS over the flat parameters, one History
entry per iteration, callbacks after each, and a Stop record."""

import numpy as np
import pytest

pytest.importorskip("scipy")

from glassnet import Dense, Dropout, EarlyStopping, Network  # noqa: E402


def test_lbfgs_fits_a_line_and_records_each_iteration():
    net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
    X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1.0, 3.0, 5.0, 7.0])
    history = net.fit(X, y, epochs=50, optimizer="lbfgs")
    assert history.loss[-1] < 1e-10 and len(history) == len(history.loss) < 50
    assert history.initial["loss"] == pytest.approx(21.0)  # mean of 1, 9, 25, 49
    assert history.stop.kind == "converged" and "L-BFGS stopped" in str(history.stop)
    np.testing.assert_allclose(net.predict([[4.0]]), [[9.0]], rtol=1e-6)


def test_lbfgs_learns_xor_with_validation_and_a_callback():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 5, dtype=float)
    y = np.array([0, 1, 1, 0] * 5)
    net = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")],
                  loss="binary_crossentropy", seed=1)  # fmt: skip
    history = net.fit(X, y, epochs=200, optimizer="lbfgs", validation_data=(X, y),
                      callbacks=[EarlyStopping("val_loss", patience=3)])  # fmt: skip
    assert net.predict(X[:4]).tolist() == [0, 1, 1, 0]
    assert "val_loss" in history.history and "accuracy" in history.history


def test_lbfgs_refuses_dropout():
    net = Network([Dense(2, 3, "tanh"), Dropout(0.5), Dense(3, 1, "identity")], seed=0)
    with pytest.raises(ValueError, match="cannot train a network with dropout"):
        net.fit([[0.0, 1.0]], [1.0], optimizer="lbfgs")
