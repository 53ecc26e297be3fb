"""What the estimator tests share: the iris data, and one glassnet estimator and its
scikit-learn counterpart trained side by side from the same starting weights.

scikit-learn is imported inside the fixtures: without the extra, the tests skip instead of
this file failing to load.
"""

import pytest


@pytest.fixture(scope="session")
def iris():
    datasets = pytest.importorskip("sklearn.datasets")
    return datasets.load_iris(return_X_y=True)


@pytest.fixture
def one_step_pair():
    """A function that trains both estimators by one warm-started epoch from the same
    starting weights and returns (start, glassnet's weights, scikit-learn's weights)."""
    exceptions = pytest.importorskip("sklearn.exceptions")

    def train_both(glass_class, sklearn_class, X, y, **params):
        settings = dict(hidden_layer_sizes=(3,), activation="tanh", alpha=0.3, max_iter=1,
                        warm_start=True, shuffle=False, random_state=0, **params)  # fmt: skip
        glass, reference = glass_class(**settings), sklearn_class(**settings)
        with pytest.warns(exceptions.ConvergenceWarning):
            glass.fit(X, y)
        with pytest.warns(exceptions.ConvergenceWarning):
            reference.fit(X, y)
        start = glass.network_.get_weights()
        reference.coefs_ = [w.copy() for w in start[0::2]]
        reference.intercepts_ = [b.copy() for b in start[1::2]]
        with pytest.warns(exceptions.ConvergenceWarning):
            glass.fit(X, y)
        with pytest.warns(exceptions.ConvergenceWarning):
            reference.fit(X, y)
        return start, glass.network_.get_weights(), reference.coefs_ + reference.intercepts_

    return train_both
