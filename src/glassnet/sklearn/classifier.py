"""GlassMLPClassifier: glassnet's Network as a scikit-learn classifier.

Example:
    >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
    >>> model.fit([[0.0], [1.0]], ["off", "on"]).classes_.tolist()
    ['off', 'on']
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d, validate_data

from glassnet.engine.network import Network
from glassnet.sklearn.mlp import BaseGlassMLP, MatrixLike

__all__ = ["GlassMLPClassifier"]


class GlassMLPClassifier(ClassifierMixin, BaseGlassMLP):
    """A multi-layer perceptron classifier: glassnet's Network behind scikit-learn's API,
    trained as scikit-learn's ``MLPClassifier`` trains.

    Hidden layers use ``activation``; the output is a softmax over k neurons with
    cross-entropy for k > 2 classes, and sigmoid neurons with binary cross-entropy for
    two classes (one neuron) or multilabel indicator targets (one per label), so the
    output delta is (a - y) / n. The parameters are those of scikit-learn's
    ``MLPClassifier``, with the same defaults and meaning (``solver`` "adam", "sgd" or
    "lbfgs"; ``learning_rate`` "constant", "invscaling" or "adaptive"; ``max_fun``;
    ``n_iter_no_change`` may be ``np.inf``; ``verbose`` an integer). ``fit`` and
    ``partial_fit`` take ``sample_weight``; X may be a SciPy sparse matrix.

    Fitted attributes, as scikit-learn's: ``classes_``, ``coefs_`` and ``intercepts_``
    (the network's own arrays: assigning them sets the network's weights), ``loss_``,
    ``best_loss_``, ``loss_curve_``, ``validation_scores_``, ``best_validation_score_``,
    ``n_iter_`` (epochs of the last fit), ``t_`` (samples seen), ``n_layers_``,
    ``n_outputs_``, ``out_activation_``, ``n_features_in_``, ``feature_names_in_``; and
    ``network_``, the glassnet ``Network`` (``trace(X, y)`` shows one of its steps).

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> model = GlassMLPClassifier((8,), "tanh", learning_rate_init=0.05, max_iter=5000,
        ...                            random_state=0)
        >>> model.fit(X, ["no", "yes", "yes", "no"]).predict(X).tolist()
        ['no', 'yes', 'yes', 'no']
    """

    def __sklearn_tags__(self) -> Any:  # scikit-learn's Tags
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _out_activation(self) -> str:
        return "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"

    def _learn_targets(self, network: Network) -> None:
        if self._label_binarizer.y_type_.startswith("multilabel") or len(self.classes_) < 2:
            super()._learn_targets(network)  # columns of 0/1 (one class: always 0)
        else:  # the labels, so that network_.predict gives them too
            network.encode_targets(np.zeros((len(self.classes_), network.n_inputs)), self.classes_)

    def _validate_input(
        self, X: MatrixLike, y: ArrayLike, incremental: bool, reset: bool
    ) -> tuple[Any, np.ndarray]:
        rows, labels = validate_data(
            self, X, y, accept_sparse=["csr", "csc"], multi_output=True,
            dtype=(np.float64, np.float32), reset=reset,
        )  # fmt: skip
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = column_or_1d(labels, warn=True)
        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer().fit(labels)
            self.classes_: np.ndarray = self._label_binarizer.classes_
        else:
            classes = unique_labels(labels)
            if self.warm_start:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same classes as in the "
                        f"previous call to fit. Previously got {self.classes_}, `y` has {classes}"
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    f"`y` has classes not in `self.classes_`. `self.classes_` has "
                    f"{self.classes_}. 'y' has {classes}."
                )
        return rows, self._label_binarizer.transform(labels).astype(bool)

    def _decode(self, Y: np.ndarray) -> np.ndarray:
        """Labels from the output layer's columns (or 0/1 rows), as LabelBinarizer reads."""
        return self._label_binarizer.inverse_transform(Y)

    def _trace_targets(self, X: MatrixLike, y: ArrayLike) -> tuple[Any, np.ndarray]:
        rows, Y = super()._trace_targets(X, y)
        multilabel = self._label_binarizer.y_type_.startswith("multilabel")
        return rows, Y.astype(float) if multilabel else self._decode(Y)

    def fit(
        self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> GlassMLPClassifier:
        """Train for up to ``max_iter`` epochs (iterations for lbfgs) and return self.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0, 1]).n_iter_
            3
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    @available_if(lambda self: self._check_solver())
    def partial_fit(
        self,
        X: MatrixLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        classes: ArrayLike | None = None,
    ) -> GlassMLPClassifier:
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        ``classes`` (every label that will ever occur) is needed on the first call.
        Not available with ``solver="lbfgs"``.

        Example:
            >>> model = GlassMLPClassifier((4,), random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0, 0], classes=[0, 1]).classes_.tolist()
            [0, 1]
        """
        if classes is None and not hasattr(self, "classes_"):
            raise ValueError("classes must be passed on the first call to partial_fit.")
        if classes is not None:
            if hasattr(self, "classes_"):
                if not np.array_equal(self.classes_, unique_labels(classes)):
                    raise ValueError(
                        f"`classes={unique_labels(classes).tolist()}` is not the same as on "
                        f"last call to partial_fit, was: {self.classes_.tolist()}"
                    )
            else:
                self.classes_ = unique_labels(classes)
                self._label_binarizer = LabelBinarizer()
                if type_of_target(y).startswith("multilabel"):
                    self._label_binarizer.fit(y)
                else:
                    self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def _predict(self, X: MatrixLike, check_input: bool = True) -> np.ndarray:
        outputs = self._outputs(X, check_input)
        if self.n_outputs_ == 1:
            outputs = outputs.ravel()
        return self._label_binarizer.inverse_transform(outputs)

    def _score(self, X: Any, y: Any, sample_weight: np.ndarray | None = None) -> float:
        return self._score_with_function(X, y, sample_weight, accuracy_score)

    def predict(self, X: MatrixLike) -> np.ndarray:
        """The most probable class of each row (an indicator row for multilabel targets).

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], ["a", "b"]).predict([[0.0]]).shape
            (1,)
        """
        return self._predict(X)

    def predict_proba(self, X: MatrixLike) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0, 1]).predict_proba([[0.5]]).shape
            (1, 2)
        """
        outputs = self._outputs(X)
        if self.n_outputs_ == 1:
            outputs = outputs.ravel()
        if outputs.ndim == 1:
            return np.vstack([1 - outputs, outputs]).T
        return outputs

    def predict_log_proba(self, X: MatrixLike) -> np.ndarray:
        """The natural logarithm of ``predict_proba``.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> bool(model.fit([[0.0], [1.0]], [0, 1]).predict_log_proba([[0.5]]).max() <= 0)
            True
        """
        probabilities = self.predict_proba(X)
        return np.log(probabilities, out=probabilities)
