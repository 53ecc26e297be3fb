"""scikit-learn's own estimator checks, and clone, on the three estimators."""

import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from glassnet.sklearn import GlassMLPClassifier, GlassMLPRegressor, GlassPerceptron  # noqa: E402


def with_listed_cases(mark):
    """parametrize_with_checks's mark with its cases in a list. scikit-learn before 1.8 (the
    last for Python 3.10 is 1.7) hands pytest a generator, which pytest 9 deprecates: under
    filterwarnings=error the warning would stop the collection."""
    names, cases = mark.args
    return pytest.mark.parametrize(names, list(cases), **mark.kwargs)


# ConvergenceWarning is ignored as scikit-learn's own test_common does: the checks fit on
# tiny data with default max_iter, and warning that training stopped at max_iter is the
# behaviour the warning exists for, not a failure. No check is marked as expected to fail.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@with_listed_cases(
    parametrize_with_checks([GlassPerceptron(), GlassMLPClassifier(), GlassMLPRegressor()])
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("estimator", [GlassPerceptron, GlassMLPClassifier, GlassMLPRegressor])
def test_clone_is_unfitted_with_the_same_parameters(estimator, iris):
    X, y = iris
    model = estimator(random_state=3, max_iter=7, tol=0.5).fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert copy.get_params()["max_iter"] == 7
    with pytest.raises(NotFittedError):
        copy.predict(X)
