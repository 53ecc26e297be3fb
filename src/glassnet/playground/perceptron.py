"""Perceptron mode: a perceptron trained to its end when the run is made, replayed epoch by
epoch, as tutorial 002 or a textbook's table (``glassbox.tutorials.TEXTBOOK_TABLES``).

Tutorial 002's perceptron takes the settings' points and learning rate, tutorial 002's
starting weights (``datasets.tutorial_002_weights``) and the batch rule. A book's table
(``Settings.book``) takes the book's four rows, in the book's order, and every setting of
the book's rule: its threshold, its step at zero, Fausett's band, its starting weights.

Each epoch counts the errors of the weights it starts from and then updates them; the
page's loss at epoch k is that count's RMSE, as the epoch table prints it, and the
picture shows the weights epoch k ended with.

Example:
    >>> from glassnet.playground.settings import Settings
    >>> run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
    >>> len(run.perceptron.epochs_), run.weights(5)[0].tolist()
    (5, [0.1, 0.1])
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet import datasets
from glassnet.engine.perceptron import Perceptron
from glassnet.glassbox.tutorials import TEXTBOOK_TABLES, TextbookTable
from glassnet.playground.data import Data, encode_classes, generate
from glassnet.playground.maps import class_map
from glassnet.playground.settings import PERCEPTRON_EPOCHS, BadRequest, Settings
from glassnet.text import format_number

__all__ = ["PerceptronRun", "book_data"]


def _digits8(value) -> str:
    return format_number(float(value), digits=8)


def book_data(book: TextbookTable) -> Data:
    """A book's table as the playground's data: its rows in the book's order, all of them
    training rows, its targets (0/1 or -1/1) as the two classes.

    Example:
        >>> data = book_data(TEXTBOOK_TABLES["fausett-and"])
        >>> data.X_train.tolist()[0], data.classes, data.y_train.tolist()
        ([1.0, 1.0], ['-1', '1'], [1, 0, 0, 0])
    """
    X = np.array(book.X, dtype=np.float64)
    y, classes = encode_classes(np.array(book.targets), f"the table of {book.name}")
    empty = np.empty((0, X.shape[1]))
    return Data(X, y, empty, np.empty(0, dtype=np.int64), "classification", classes,
                ["x1", "x2"], "t")  # fmt: skip


@dataclass
class PerceptronRun:
    """A fitted perceptron, what it started from, and the book it reproduces (if any).

    Example:
        >>> from glassnet.playground.settings import Settings
        >>> run = PerceptronRun.create(Settings(mode="perceptron", dataset="or", seed=42))
        >>> run.weights(0)[0].round(8).tolist()
        [0.49671415, -0.1382643]
    """

    perceptron: Perceptron
    data: Data
    start_weights: np.ndarray
    start_bias: float | None
    book: TextbookTable | None = None

    @classmethod
    def create(cls, settings: Settings, uploads: dict[str, Any] | None = None) -> PerceptronRun:
        """The perceptron the settings describe, fitted to its end (``PERCEPTRON_EPOCHS`` at
        most); the data of a book's table, or the settings' own.

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="fausett-and"))
            >>> run.perceptron.rule, run.data.classes
            ('fausett', ['-1', '1'])
        """
        if settings.book:
            book = TEXTBOOK_TABLES[settings.book]
            data, perceptron = book_data(book), book.perceptron()
            labels = np.array(book.targets)
        else:
            book, data = None, generate(settings, uploads or {})
            if data.task != "classification" or len(data.classes) != 2 or data.n_features != 2:
                raise BadRequest("the perceptron separates two classes of two-feature points")
            perceptron = _settings_perceptron(settings)
            labels = data.y_train
            if settings.rule == "fausett":  # the rule's bipolar targets: t = 2 y - 1
                labels = 2 * np.asarray(labels, dtype=float) - 1
        start = (perceptron.weights.copy(), perceptron.bias)
        perceptron.fit(data.X_train, labels, max_epochs=PERCEPTRON_EPOCHS)
        return cls(perceptron, data, *start, book=book)

    @property
    def epochs(self) -> int:
        """How many epochs the perceptron trained (the replay's last frame)."""
        return len(self.perceptron.epochs_)

    @property
    def labels(self) -> np.ndarray:
        """The two class labels the perceptron learned, in the data's order."""
        if self.perceptron.classes_ is None:  # create() trains it: it has them
            raise ValueError("the perceptron has not been trained: it has no labels")
        return self.perceptron.classes_

    def weights(self, epoch: int) -> tuple[np.ndarray, float | None]:
        """The weights and bias (None: no bias) after ``epoch`` epochs (0: the start).

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="fausett-and"))
            >>> run.weights(10)[0].tolist(), run.weights(10)[1]
            ([2.0, 3.0], -4.0)
        """
        if epoch == 0:
            return self.start_weights, self.start_bias
        record = self.perceptron.epochs_[epoch - 1]
        return record.weights, record.bias

    def _outputs(self, X: np.ndarray, epoch: int) -> np.ndarray:
        """The outputs (the rule's levels) of the weights after ``epoch`` epochs."""
        weights, bias = self.weights(epoch)
        z = X @ weights + (bias or 0.0) - self.perceptron.threshold
        return self.perceptron.decision_rule.outputs(z)

    def metrics(self, epoch: int, side: str) -> dict[str, Any]:
        """Loss (the RMSE of e = t - y) and accuracy of the epoch on screen: on the training
        rows, its own count (the table's row); on the test rows, of the weights it started
        from. None for a side without rows.

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
            >>> run.metrics(1, "train"), run.metrics(1, "test")
            ({'loss': 0.7071067811865476, 'accuracy': 0.5}, {'loss': None, 'accuracy': None})
        """
        data = self.data
        X, y = (data.X_train, data.y_train) if side == "train" else (data.X_test, data.y_test)
        if len(X) == 0:
            return {"loss": None, "accuracy": None}
        shown = max(epoch, 1)
        if side == "train":
            record = self.perceptron.epochs_[shown - 1]
            return {"loss": record.rmse, "accuracy": 1 - record.errors / len(X)}
        return self._scores(X, y, shown - 1)

    def _scores(self, X: np.ndarray, y: np.ndarray, epoch: int) -> dict[str, Any]:
        targets = self.labels[y].astype(np.float64)  # class index -> label
        outputs = self._outputs(X, epoch)
        return {"loss": float(np.sqrt(np.mean((targets - outputs) ** 2))),
                "accuracy": float(np.mean(outputs == targets))}  # fmt: skip

    def model_metrics(self, epoch: int) -> dict[str, Any]:
        """The metrics of ``model(epoch)`` itself (the weights after the epoch), both sides.

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
            >>> run.model_metrics(5)["train"]
            {'loss': 0.0, 'accuracy': 1.0}
        """
        data = self.data
        return {side: self._scores(X, y, epoch) if len(X) else {"loss": None, "accuracy": None}
                for side, X, y in (("train", data.X_train, data.y_train),
                                   ("test", data.X_test, data.y_test))}  # fmt: skip

    def regions(self, epoch: int, grid: np.ndarray) -> dict[str, Any]:
        """Each grid point's class under the weights after ``epoch`` epochs.

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
            >>> sorted(run.regions(5, np.array([[0.0, 0.0], [1.0, 1.0]])))
            ['confidence', 'label']
        """
        high = self.perceptron.decision_rule.levels[1]
        return class_map((self._outputs(grid, epoch) == high).reshape(-1, 1) * 1.0)

    def model(self, epoch: int) -> Perceptron:
        """A perceptron holding the weights after ``epoch`` epochs (what Export saves).

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="fausett-and"))
            >>> run.model(10).predict([[1, 1], [0, 1]]).tolist()
            [1, -1]
        """
        model = copy.deepcopy(self.perceptron)
        weights, bias = self.weights(epoch)
        model.weights, model.bias = np.array(weights), bias
        return model

    def table(self, epoch: int) -> dict[str, Any]:
        """What the page draws of the replay: the weights on screen, the rule, and one row
        per epoch so far, every number with eight significant digits.

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
            >>> run.table(1)["table"][0]["weights"], run.table(1)["threshold"]
            (['0.3', '0'], 0.2)
        """
        perceptron = self.perceptron
        weights, bias = self.weights(epoch)
        rule = perceptron.decision_rule
        rows = []
        for record in perceptron.epochs_[:epoch]:
            started, started_bias = self.weights(record.epoch - 1)
            rows.append({
                "epoch": record.epoch,
                "started": [_digits8(w) for w in started],
                "started_bias": None if started_bias is None else _digits8(started_bias),
                "errors": record.errors,
                "rmse": _digits8(record.rmse),
                "weights": [_digits8(w) for w in record.weights],
                "bias": None if record.bias is None else _digits8(record.bias),
            })  # fmt: skip
        done = epoch == self.epochs
        return {
            "weights": weights.tolist(),
            "bias": bias,
            "threshold": perceptron.threshold,
            "band": perceptron.band,
            "output_rule": rule.output_formula(),
            "update_rule": rule.update_formula(
                bias=bias is not None, batch=perceptron.mode == "batch"
            ),
            "book": self.book.citation if self.book else "",
            "table": rows,
            "done": done,
            "message": perceptron.message if done else "",
        }

    def sample(self, epoch: int, split: str, index: int) -> dict[str, Any]:
        """One sample's step in the epoch on screen (epoch 1 before the first): the weights
        it met, z, the output, the target, the factor of the move and the move itself, as
        the engine recorded them (a test sample: as the rule would have treated it).

        Example:
            >>> from glassnet.playground.settings import Settings
            >>> run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
            >>> step = run.sample(1, "train", 2)
            >>> step["weights"].tolist(), step["z"], step["output"], step["correction"].tolist()
            ([0.3, -0.1], 0.1, 1.0, [-0.1, 0.0])
        """
        shown = max(epoch, 1)
        record = self.perceptron.epochs_[shown - 1]
        data = self.data
        X, y = (data.X_train, data.y_train) if split == "train" else (data.X_test, data.y_test)
        x = X[index]
        target = float(self.labels[y[index]])
        step = {"epoch": shown, "x": x, "target": target, "after": None, "bias_after": None,
                "bias_correction": None}  # fmt: skip
        if split == "train":
            p = int(np.flatnonzero(record.order == index)[0])  # where the epoch met it
            step.update(weights=record.sample_weights[p], z=float(record.z[p]),
                        output=float(record.predictions[p]), factor=float(record.sample_errors[p]),
                        correction=record.corrections[p])  # fmt: skip
            step["bias"] = None if record.sample_bias is None else float(record.sample_bias[p])
            if record.bias_corrections is not None:
                step["bias_correction"] = float(record.bias_corrections[p])
            if record.weights_after is not None:  # online: the weights right after the sample
                step["after"] = record.weights_after[p]
                if record.bias_after is not None:
                    step["bias_after"] = float(record.bias_after[p])
            if self.perceptron.rule == "fausett":
                step["factor"] = float(
                    self.perceptron.decision_rule.factors(target, step["output"])
                )
            return step
        weights, bias = self.weights(shown - 1)
        rule = self.perceptron.decision_rule
        z = float(x @ weights + (bias or 0.0) - self.perceptron.threshold)
        output = float(rule.outputs(z))
        factor = float(rule.factors(target, output))
        alpha = self.perceptron.learning_rate
        step.update(weights=weights, bias=bias, z=z, output=output, factor=factor,
                    correction=alpha * factor * x,
                    bias_correction=None if bias is None else alpha * factor)  # fmt: skip
        return step


def _settings_perceptron(settings: Settings) -> Perceptron:
    """The perceptron of the settings: tutorial 002's start, and the textbook choices
    (threshold, step at zero, rule, band) as glassnet.Perceptron takes them."""
    try:
        return Perceptron(
            2,
            learning_rate=settings.lr,
            weights=datasets.tutorial_002_weights(settings.seed),
            bias=0.0 if settings.bias else None,
            threshold=settings.threshold,
            step_at_zero=settings.step_at_zero,
            rule=settings.rule,
            band=settings.band,
        )
    except ValueError as error:
        raise BadRequest(str(error)) from None
