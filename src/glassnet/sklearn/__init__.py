"""scikit-learn estimators built on glassnet: pipelines, cross-validation and grid search.

``GlassPerceptron`` (Rosenblatt's rule; several classes one-vs-rest), ``GlassMLPClassifier``
and ``GlassMLPRegressor`` follow the scikit-learn estimator contract and pass its own
``check_estimator`` suite. Their parameters carry scikit-learn's names where the idea is
the same (``hidden_layer_sizes``, ``activation``, ``solver``, ``alpha``, ...). The fitted
``network_`` (or ``perceptrons_``) is an ordinary glassnet object; an MLP's ``trace(X, y)``
shows every number of one step, as ``Network.trace`` does, and the perceptron's
``epoch_records(X, y)`` every number of one epoch of its rule.

How scikit-learn's MLP parameters map onto glassnet:

    hidden_layer_sizes=(h1, h2)   Dense(n, h1, f), Dense(h1, h2, f), Dense(h2, k, output)
    activation                    "identity", "logistic" (glassnet's sigmoid), "tanh", "relu"
    solver="sgd"                  SGD, Momentum or Nesterov (from momentum, nesterovs_momentum)
    solver="adam"                 Adam(learning_rate_init, beta_1, beta_2, epsilon)
    batch_size="auto"             min(200, n_samples)
    alpha                         Dense(l2=alpha / batch_size): scikit-learn adds
                                  0.5 * alpha * ||W||^2 / batch_size to each batch's loss,
                                  Dense adds 0.5 * l2 * ||W||^2 (the regressor: 2 * alpha /
                                  batch_size, as glassnet's mse is twice scikit-learn's
                                  squared loss)
    tol, n_iter_no_change         stop when the training loss has not improved by more than
                                  tol for more than n_iter_no_change epochs in a row (an
                                  EarlyStopping callback with scikit-learn's rule)
    early_stopping=True           the same rule on the loss of a validation_fraction of the
                                  rows (stratified for classes), keeping the best weights

In modules: ``checks`` (what they take in), ``losses``, ``solvers`` (the epoch loop, stopping
rules, schedules, L-BFGS), ``mlp`` (the shared base), ``classifier``, ``regressor``,
``perceptron`` and ``display`` (the notebook's page of an estimator).

Needs scikit-learn: ``pip install 'glassnet[sklearn]'``. ``import glassnet`` never
imports it.

Example:
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> X, y = load_iris(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), GlassMLPClassifier((16,), max_iter=2000,
    ...                                                          random_state=0))
    >>> model.fit(X, y).score(X, y) > 0.95
    True
"""

from __future__ import annotations

try:  # scikit-learn is an optional extra; validate_data is new in its 1.6
    from sklearn.utils.validation import validate_data
except ImportError as _missing:
    raise ImportError(
        "glassnet.sklearn needs scikit-learn (1.6 or newer): pip install 'glassnet[sklearn]'"
    ) from _missing

from glassnet.sklearn.classifier import GlassMLPClassifier
from glassnet.sklearn.perceptron import GlassPerceptron
from glassnet.sklearn.regressor import GlassMLPRegressor

del validate_data  # imported only to check the version: each module imports what it uses

__all__ = ["GlassMLPClassifier", "GlassMLPRegressor", "GlassPerceptron"]
