"""GlassPerceptron: one neuron for two classes, one per class against the rest, the
records of one epoch of the rule, warm starts, scikit-learn's tools, and its plot."""

import importlib.resources
import inspect

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from glassnet import PerceptronEpoch  # noqa: E402
from glassnet.sklearn import GlassPerceptron  # noqa: E402


def test_perceptron_two_classes_is_one_neuron():
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    model = GlassPerceptron(mode="batch", random_state=0).fit(X, ["off", "on", "on", "on"])
    assert model.coef_.shape == (1, 2) and len(model.perceptrons_) == 1
    assert model.predict(X).tolist() == ["off", "on", "on", "on"]
    z = model.decision_function(X)
    assert z.shape == (4,) and (z > 0).tolist() == [False, True, True, True]


def test_perceptron_one_vs_rest_and_partial_fit(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = GlassPerceptron(random_state=0).fit(X, y)
    assert model.coef_.shape == (3, 4)
    z = model.decision_function(X)
    np.testing.assert_array_equal(model.classes_[np.argmax(z, axis=1)], model.predict(X))
    assert model.score(X, y) >= 0.75
    streamed = GlassPerceptron(random_state=0)
    for rows in np.array_split(np.random.default_rng(0).permutation(150), 5):
        streamed.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert streamed.n_iter_ == 5 and streamed.coef_.shape == (3, 4)


def test_cross_val_score_perceptron(iris):
    X, y = iris
    model = make_pipeline(StandardScaler(), GlassPerceptron(random_state=0))
    assert cross_val_score(model, X, y).mean() >= 0.75


# ---------------------------------------------------------------- the glass box
def test_perceptron_epoch_records_are_the_batch_rule(iris):
    X, y = iris
    model = GlassPerceptron(random_state=0).fit(X, y)
    records = model.epoch_records(X, y)
    assert len(records) == 3  # one perceptron per class
    assert all(isinstance(record, PerceptronEpoch) for record in records)
    for index, (record, label) in enumerate(zip(records, model.classes_, strict=True)):
        t = np.where(y == label, 1.0, -1.0)
        wrong = t * (X @ model.coef_[index] + model.intercept_[index]) <= 0
        # Fausett's rule with band 0 (scikit-learn's): w <- w + eta0 * sum of t * x where t z <= 0
        np.testing.assert_allclose(record.weights, model.coef_[index] + X.T @ (t * wrong))
        assert record.errors == np.count_nonzero(wrong)


def test_epoch_records_leave_the_estimator_unchanged(iris):
    X, y = iris
    model = GlassPerceptron(mode="online", random_state=0).fit(X, y)
    coef, intercept = model.coef_.copy(), model.intercept_.copy()
    weights = [perceptron.weights.copy() for perceptron in model.perceptrons_]
    model.epoch_records(X, y)
    np.testing.assert_array_equal(model.coef_, coef)
    np.testing.assert_array_equal(model.intercept_, intercept)
    for perceptron, before in zip(model.perceptrons_, weights, strict=True):
        np.testing.assert_array_equal(perceptron.weights, before)
        assert perceptron.mode == "online"
    with pytest.raises(ValueError, match="y has a label 7 that is not one of the classes"):
        model.epoch_records(X[:2], [0, 7])


def test_perceptron_warm_start_starts_from_the_last_weights():
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    y = [0, 0, 0, 1]
    model = GlassPerceptron(mode="batch", max_iter=1, warm_start=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    first = model.coef_.copy()
    record = model.epoch_records(X, y)[0]
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert not np.array_equal(first, model.coef_) or record.errors == 0
    np.testing.assert_allclose(model.coef_[0], record.weights)  # the same batch epoch


def test_plots_draw_the_fitted_perceptron(iris):
    plot = pytest.importorskip("glassnet.plot")  # the plot extra (matplotlib)
    from matplotlib import pyplot

    X, y = iris
    X = StandardScaler().fit_transform(X[:, 2:])
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    perceptron = GlassPerceptron(random_state=0).fit(X, names == "setosa")
    # The perceptron inside learns Fausett's bipolar targets: 1 for setosa, -1 else.
    figure = plot.decision_boundary(
        perceptron.perceptrons_[0], X, np.where(names == "setosa", 1, -1)
    )
    assert figure.axes[0].get_xlabel() == "x1"
    pyplot.close("all")


# ---------------------------------------------------------------- scikit-learn's own tests
def _scikit_learn_test_source() -> tuple[str, str] | None:
    """The installed scikit-learn's linear_model/tests/test_perceptron.py, with GlassPerceptron
    imported in place of its Perceptron; None when that file is not installed."""
    try:
        path = importlib.resources.files("sklearn.linear_model.tests") / "test_perceptron.py"
        source = path.read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    original = "from sklearn.linear_model import Perceptron\n"
    assert original in source, f"{path}: its import line changed; update this substitution"
    substitute = "from glassnet.sklearn import GlassPerceptron as Perceptron\n"
    return str(path), source.replace(original, substitute, 1)


def _expanded(function) -> list[dict]:
    """The keyword arguments of each case of a test function's parametrize marks."""
    cases = [{}]
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [name.strip() for name in names.split(",")] if isinstance(names, str) else names
        rows = [getattr(value, "values", value) for value in values]
        rows = [row if len(names) > 1 else (row,) for row in rows]
        cases = [{**case, **dict(zip(names, row, strict=True))} for case in cases for row in rows]
    return cases


def _scikit_learn_cases() -> list:
    found = _scikit_learn_test_source()
    if found is None:
        reason = "scikit-learn's linear_model/tests/test_perceptron.py is not installed"
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=reason))]
    path, source = found
    namespace: dict = {"__name__": "scikit_learn_test_perceptron"}
    exec(compile(source, path, "exec"), namespace)
    cases = []
    for name, function in namespace.items():
        if name.startswith("test_") and callable(function):
            for kwargs in _expanded(function):
                shown = ",".join(getattr(v, "__name__", repr(v)) for v in kwargs.values())
                cases.append(
                    pytest.param(function, kwargs, id=f"{name}[{shown}]" if shown else name)
                )
    return cases


SCIKIT_LEARN_CASES = _scikit_learn_cases()


@pytest.mark.parametrize("test, kwargs", SCIKIT_LEARN_CASES)
def test_scikit_learn_own_perceptron_tests_pass_with_glass_perceptron(test, kwargs):
    # Its test_perceptron_correctness compares weight for weight with a 20-line reference
    # perceptron; the others cover sparse X, tol=None, penalties and l1_ratio.
    missing = set(inspect.signature(test).parameters) - set(kwargs)
    assert not missing, f"{test.__name__} needs fixtures this runner does not give: {missing}"
    test(**kwargs)


def test_the_scikit_learn_file_has_all_six_of_its_tests():
    if SCIKIT_LEARN_CASES[0].values[0] is None:
        pytest.skip("scikit-learn's linear_model/tests/test_perceptron.py is not installed")
    names = {case.id.split("[")[0] for case in SCIKIT_LEARN_CASES}
    assert {"test_perceptron_accuracy", "test_perceptron_correctness",
            "test_perceptron_l1_ratio", "test_undefined_methods"} <= names  # fmt: skip
    assert len(SCIKIT_LEARN_CASES) >= 6  # accuracy on csr_matrix, csr_array and np.array


# ---------------------------------------------------------------- what scikit-learn takes
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"penalty": "l2", "alpha": 0.01},
        {"penalty": "l1", "alpha": 0.001},
        {"penalty": "elasticnet", "alpha": 0.01, "l1_ratio": 0.3},
        {"class_weight": "balanced"},
        {"fit_intercept": False, "eta0": 0.1},
    ],
    ids=["none", "l2", "l1", "elasticnet", "balanced", "no-intercept"],
)
@pytest.mark.parametrize("classes", [2, 3])
def test_weights_equal_scikit_learn_perceptron_weight_for_weight(iris, params, classes):
    from sklearn.linear_model import Perceptron

    X, y = iris
    y = y if classes == 3 else np.where(y == 1, 1, -1)
    settings = dict(max_iter=4, tol=None, shuffle=False, **params)  # the same row order
    ours, theirs = GlassPerceptron(**settings).fit(X, y), Perceptron(**settings).fit(X, y)
    # l2 rounds differently: scikit-learn keeps w as a scale times a vector.
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-12, atol=1e-12)
    assert ours.n_iter_ == theirs.n_iter_ == 4


def test_sparse_x_gives_the_dense_result(iris):
    sparse = pytest.importorskip("scipy.sparse")
    X, y = iris
    dense = GlassPerceptron(max_iter=5, tol=None).fit(X, y)
    for container in (sparse.csr_matrix, sparse.csc_array, sparse.coo_matrix):
        model = GlassPerceptron(max_iter=5, tol=None).fit(container(X), y)
        np.testing.assert_array_equal(model.coef_, dense.coef_)
        np.testing.assert_array_equal(model.predict(container(X)), dense.predict(X))


def test_tol_none_runs_every_epoch_without_a_warning(recwarn):
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), [0, 1, 1, 0]  # XOR: never converges
    model = GlassPerceptron(max_iter=7, tol=None, shuffle=False).fit(X, y)
    assert model.n_iter_ == 7 and len(recwarn) == 0
    with pytest.warns(ConvergenceWarning, match="without meeting its stopping rule"):
        GlassPerceptron(max_iter=3, tol=0.0, n_iter_no_change=10).fit(X, y)


def test_the_loss_rule_stops_after_n_iter_no_change_epochs_without_progress():
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), [0, 1, 1, 0]
    # The XOR loss cannot fall for ever: the run stops long before max_iter.
    model = GlassPerceptron(max_iter=500, tol=1e-3, n_iter_no_change=3, shuffle=False).fit(X, y)
    assert 3 <= model.n_iter_ < 500


def test_early_stopping_holds_rows_out(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = GlassPerceptron(early_stopping=True, validation_fraction=0.2, n_iter_no_change=3,
                            max_iter=200).fit(X, y)  # fmt: skip
    assert model.n_iter_ < 200 and model.score(X, y) >= 0.75
    # 30 rows held out: each perceptron trained on the other 120.
    assert all(p.epochs_[-1].z.shape == (120,) for p in model.perceptrons_)


def test_class_weight_dict_scales_its_class_moves():
    X, y = np.array([[1.0], [2.0], [-1.0]]), np.array([1, 1, 0])
    base = GlassPerceptron(max_iter=1, tol=None, shuffle=False).fit(X, y)
    heavy = GlassPerceptron(max_iter=1, tol=None, shuffle=False, class_weight={0: 1, 1: 3})
    heavy.fit(X, y)
    # Row 1 (x = 1, t = 1) meets z = 0: w, b += 1 * (1, 1), three times that when weighted.
    # Row 2 (x = 2): z > 0, right. Row 3 (x = -1, t = -1) meets z = -w + b = 0 in both runs:
    # w, b += -1 * (-1, 1), at class 0's weight 1.
    assert base.coef_.tolist() == [[2.0]] and base.intercept_.tolist() == [0.0]
    assert heavy.coef_.tolist() == [[4.0]] and heavy.intercept_.tolist() == [2.0]


def test_partial_fit_refuses_balanced_weights_and_bad_parameters_are_named():
    X, y = np.array([[0.0], [1.0]]), np.array([0, 1])
    with pytest.raises(ValueError, match="class_weight='balanced' needs all of y"):
        GlassPerceptron(class_weight="balanced").partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"^penalty must be one of 'l2', 'l1', 'elasticnet' "
                                         r"or None, got 'l3'$"):  # fmt: skip
        GlassPerceptron(penalty="l3").fit(X, y)
    with pytest.raises(ValueError, match=r"^l1_ratio must be a number in \[0, 1\], got 1.5$"):
        GlassPerceptron(l1_ratio=1.5).fit(X, y)
    with pytest.raises(ValueError, match="GlassPerceptron: band must be a number in"):
        GlassPerceptron(band=-0.2).fit(X, y)
    with pytest.raises(ValueError, match="coef_init must have shape"):
        GlassPerceptron().fit(X, y, coef_init=[[1.0, 2.0]])


# ---------------------------------------------------------------- the textbooks' settings
def test_negnevitsky_settings_through_the_estimator():
    # Negnevitsky's AND (see tests/engine/test_perceptron_textbook.py): theta 0.2 fixed, no
    # bias, alpha 0.1, w = (0.3, -0.1), step(0) = 1, Rosenblatt's rule; the book ends at (0.1, 0.1).
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 0, 0, 1])
    model = GlassPerceptron(
        rule="rosenblatt",
        threshold=0.2,
        step_at_zero=1,
        eta0=0.1,
        fit_intercept=False,
        shuffle=False,
        tol=None,
        max_iter=20,
    )
    model.fit(X, y, coef_init=[[0.3, -0.1]])  # fmt: skip
    assert model.coef_.tolist() == [[0.1, 0.1]] and model.n_iter_ == 5
    assert model.perceptrons_[0].arithmetic_ == "exact"
    np.testing.assert_array_equal(model.decision_function(X), [-0.2, -0.1, -0.1, 0.0])


def test_fausett_settings_through_the_estimator():
    # Fausett's AND, binary inputs and bipolar targets, band 0.2, alpha 1, from 0: (2, 3), -4.
    X, y = np.array([[1.0, 1], [1, 0], [0, 1], [0, 0]]), np.array([1, -1, -1, -1])
    model = GlassPerceptron(rule="fausett", band=0.2, shuffle=False, tol=None).fit(X, y)
    assert model.coef_.tolist() == [[2.0, 3.0]] and model.intercept_.tolist() == [-4.0]
    assert model.n_iter_ == 10
