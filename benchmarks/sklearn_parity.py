"""Cross-validated accuracy of glassnet's GlassMLPClassifier beside scikit-learn's
MLPClassifier, each at its defaults (Adam, alpha 1e-4, max_iter 200, batch 'auto').

5-fold cross-validation (StratifiedKFold without shuffling, scikit-learn's default) in a
StandardScaler pipeline, repeated for random states 0-4; each row gives the mean accuracy
over the 25 folds and the standard error of the 5 seeds' means. Not a timed test: run
``python benchmarks/sklearn_parity.py`` (about two minutes on 2 cores); the output is
saved in benchmarks/sklearn_parity.txt and quoted in the README.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from glassnet.sklearn import GlassMLPClassifier
from glassnet.text import table

CASES = [
    ("wine", load_wine, (16,)),
    ("iris", load_iris, (8,)),
    ("iris", load_iris, (100,)),
    ("breast cancer", load_breast_cancer, (16,)),
    ("digits", load_digits, (100,)),
]
SEEDS = range(5)


def seed_means(estimator_class, X, y, hidden) -> np.ndarray:
    """The mean 5-fold accuracy for each seed."""
    means = []
    for seed in SEEDS:
        model = make_pipeline(StandardScaler(), estimator_class(hidden, random_state=seed))
        means.append(cross_val_score(model, X, y, cv=5).mean())
    return np.array(means)


def main() -> int:
    rows = [("data, hidden", "MLPClassifier", "GlassMLPClassifier", "difference",
             "within SE")]  # fmt: skip
    every_row_within = True
    for name, load, hidden in CASES:
        X, y = load(return_X_y=True)
        reference = seed_means(MLPClassifier, X, y, hidden)
        glass = seed_means(GlassMLPClassifier, X, y, hidden)
        error = reference.std(ddof=1) / np.sqrt(len(SEEDS))
        difference = glass.mean() - reference.mean()
        within = abs(difference) <= error
        every_row_within &= within
        rows.append((
            f"{name} {hidden}", f"{reference.mean():.4f} +- {error:.4f}",
            f"{glass.mean():.4f} +- {glass.std(ddof=1) / np.sqrt(len(SEEDS)):.4f}",
            f"{difference:+.2e}", "yes" if within else "no",
        ))  # fmt: skip
    print(table(rows))
    print(f"\n5-fold CV x {len(SEEDS)} seeds; +- is the standard error of the seeds' means")
    return 0 if every_row_within else 1


if __name__ == "__main__":
    warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=200 ends some folds
    with threadpool_limits(1):
        sys.exit(main())
