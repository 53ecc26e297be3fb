"""GlassMLPClassifier: scikit-learn's tools, parity with MLPClassifier step for step,
fitting behaviour, the worked step, plots, and digits accuracy beside scikit-learn's."""

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import load_digits  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    GridSearchCV,
    cross_val_score,
    train_test_split,
)
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from glassnet import Network, Trace  # noqa: E402
from glassnet.sklearn import GlassMLPClassifier  # noqa: E402


def small_mlp(**params):
    settings = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=500)
    settings.update(params)
    return GlassMLPClassifier(**settings)


# ---------------------------------------------------------------- scikit-learn's tools
def test_pipeline_with_standard_scaler(iris):
    X, y = iris
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    model = make_pipeline(StandardScaler(), small_mlp(random_state=0)).fit(X_train, y_train)
    assert model.score(X_test, y_test) >= 0.9
    assert model[-1].n_features_in_ == 4
    assert model[-1].classes_.tolist() == [0, 1, 2]


def test_cross_val_score(iris):
    X, y = iris
    scores = cross_val_score(make_pipeline(StandardScaler(), small_mlp(random_state=0)), X, y)
    assert scores.shape == (5,)
    assert scores.mean() >= 0.9


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_grid_search_in_two_processes(iris):
    X, y = iris
    grid = GridSearchCV(
        make_pipeline(StandardScaler(), small_mlp(random_state=0)),
        {"glassmlpclassifier__hidden_layer_sizes": [(2,), (16,)],
         "glassmlpclassifier__alpha": [1e-4, 1e-2]},
        cv=3,
        n_jobs=2,
    )  # fmt: skip
    grid.fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["glassmlpclassifier__hidden_layer_sizes"] in [(2,), (16,)]
    assert grid.best_score_ >= 0.9
    assert isinstance(grid.best_estimator_[-1].network_, Network)


def test_feature_names_from_a_data_frame(iris):
    pandas = pytest.importorskip("pandas")
    X, y = iris
    frame = pandas.DataFrame(X, columns=["sepal length", "sepal width", "petal length", "petal"])
    model = small_mlp(random_state=0).fit(frame, y)
    assert model.feature_names_in_.tolist() == list(frame.columns)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(frame.rename(columns={"petal": "other"}))


# ---------------------------------------------------------------- one step, same numbers
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize(
    "solver",
    [dict(solver="sgd", momentum=0.0), dict(solver="sgd"), dict(solver="adam", epsilon=1e-12)],
)
def test_training_matches_scikit_learn_step_for_step(n_classes, solver, one_step_pair):
    # Same starting weights, same batches in the same order: a sigmoid (two classes) or
    # softmax output with cross-entropy, alpha turned into Dense(l2=alpha / batch_size),
    # and SGD, Nesterov momentum or Adam give scikit-learn's weights after 3 batches.
    # (Adam: glassnet adds epsilon to sqrt(v_hat), scikit-learn to sqrt(v) after folding
    # the bias corrections into the step; a tiny epsilon makes the two agree.)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 4)), np.arange(12) % n_classes
    start, glass, reference = one_step_pair(
        GlassMLPClassifier, MLPClassifier, X, y, batch_size=4, learning_rate_init=0.1, **solver
    )
    glass = glass[0::2] + glass[1::2]  # W[1], W[2], b[1], b[2] as scikit-learn lists them
    for ours, theirs in zip(glass, reference, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)
    assert not np.allclose(start[0], glass[0])  # the step did move the weights


# ---------------------------------------------------------------- fitting behaviour
def test_fitted_attributes_are_scikit_learns(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = small_mlp(random_state=0).fit(X, y)
    reference = MLPClassifier((16,), learning_rate_init=0.01, max_iter=500, random_state=0)
    reference.fit(X, y)
    for name in ("n_iter_", "t_", "n_layers_", "n_outputs_", "out_activation_"):
        assert getattr(model, name) == getattr(reference, name), name
    for name in ("loss_", "best_loss_"):
        assert getattr(model, name) == pytest.approx(getattr(reference, name), rel=1e-12)
    np.testing.assert_allclose(model.loss_curve_, reference.loss_curve_, rtol=1e-12)
    assert model.validation_scores_ is None and model.best_validation_score_ is None
    assert model.n_iter_ == len(model.loss_curve_) < 500  # stopped by the tol rule
    # coefs_ and intercepts_ are the network's own arrays
    assert [c.shape for c in model.coefs_] == [(4, 16), (16, 3)]
    assert all(
        c is layer.weights
        for c, layer in zip(model.coefs_, model.network_.dense_layers, strict=True)
    )
    assert model.network_.output_layer.activation.name == "softmax"
    assert model.predict_proba(X[:5]).sum(axis=1) == pytest.approx(np.ones(5))
    np.testing.assert_allclose(model.predict_log_proba(X[:5]), np.log(model.predict_proba(X[:5])))


def test_assigned_coefs_are_the_weights_partial_fit_goes_on_from(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = small_mlp(hidden_layer_sizes=(3,), random_state=0)
    model.partial_fit(X, y, classes=[0, 1, 2])
    rng = np.random.default_rng(1)
    model.coefs_ = [rng.normal(size=(4, 3)), rng.normal(size=(3, 3))]
    model.intercepts_ = [np.zeros(3), np.zeros(3)]
    # the network takes them at the next use: its predictions are those of these weights
    z = np.maximum(X @ model.coefs_[0], 0)  # relu
    z = z @ model.coefs_[1]
    expected = np.exp(z - z.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_proba(X), expected, rtol=1e-12)
    np.testing.assert_array_equal(model.network_.get_weights()[0], model.coefs_[0])
    reference = MLPClassifier((3,), learning_rate_init=0.01, random_state=0, shuffle=False)
    reference.partial_fit(X, y, classes=[0, 1, 2])
    reference.coefs_ = [c.copy() for c in model.coefs_]
    reference.intercepts_ = [b.copy() for b in model.intercepts_]
    model.set_params(shuffle=False).partial_fit(X, y)
    reference.partial_fit(X, y)
    for ours, theirs in zip(model.coefs_ + model.intercepts_,
                            reference.coefs_ + reference.intercepts_, strict=True):  # fmt: skip
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_output_layer_and_loss_follow_the_targets(iris):
    X, y = iris
    two = small_mlp(max_iter=3, tol=1.0, n_iter_no_change=1).fit(X[y < 2], y[y < 2])
    three = small_mlp(max_iter=3, tol=1.0, n_iter_no_change=1).fit(X, y)
    labels = np.stack([y == 0, y == 1, y > 0], axis=1).astype(int)  # multilabel indicator
    several = small_mlp(max_iter=3, tol=1.0, n_iter_no_change=1).fit(X, labels)
    assert (two.network_.output_layer.activation.name, two.network_.loss.name) == (
        "sigmoid",
        "binary_crossentropy",
    )
    assert (three.network_.output_layer.activation.name, three.network_.loss.name) == (
        "softmax",
        "crossentropy",
    )
    assert several.out_activation_ == "logistic" and several.n_outputs_ == 3
    assert several.predict(X[:4]).shape == (4, 3)


def test_convergence_is_read_from_the_stop_record(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stopped by the rule: no ConvergenceWarning
        stopped = small_mlp(random_state=0).fit(X, y)
    assert stopped.network_.stop.kind == "early_stopping"
    assert stopped.network_.history.loss == stopped.loss_curve_
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        ran_out = small_mlp(max_iter=3, random_state=0).fit(X, y)
    assert not ran_out.network_.stop.early and ran_out.network_.stop.epoch == 3


def test_string_labels_and_binary_output():
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    model = small_mlp(activation="tanh", learning_rate_init=0.05, max_iter=3000, random_state=0)
    model.fit(X, ["no", "yes", "yes", "no"])
    assert model.network_.n_outputs == 1  # one sigmoid neuron for two classes
    assert model.predict(X).tolist() == ["no", "yes", "yes", "no"]
    proba = model.predict_proba(X)
    assert proba.shape == (4, 2)
    assert (proba[:, 1] > 0.5).tolist() == [False, True, True, False]  # column 1 is "yes"


def test_early_stopping_keeps_the_best_validation_weights():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:600])
    settings = dict(hidden_layer_sizes=(32,), learning_rate_init=0.01, max_iter=300,
                    early_stopping=True, n_iter_no_change=5, random_state=0)  # fmt: skip
    model = GlassMLPClassifier(**settings).fit(X, y[:600])
    reference = MLPClassifier(**settings).fit(X, y[:600])
    scores = model.validation_scores_
    assert scores == pytest.approx(reference.validation_scores_)
    assert len(scores) == len(model.loss_curve_) == model.n_iter_ < 300
    assert model.best_validation_score_ == max(scores) and model.best_loss_ is None
    # scikit-learn's rule restated: stop once more than n_iter_no_change epochs in a row
    # failed to beat the best validation score before them by more than tol.
    failures = [scores[i] < max(scores[:i]) + 1e-4 for i in range(1, len(scores))]
    assert failures[-6:] == [True] * 6
    for ours, theirs in zip(model.coefs_, reference.coefs_, strict=True):  # the best kept
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_warm_start_continues(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = small_mlp(max_iter=5, warm_start=True, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"\(5\)"):
        model.fit(X, y)
    network, first = model.network_, model.get_params()
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    # as scikit-learn: n_iter_ counts this fit's epochs, loss_curve_ every epoch so far
    assert model.network_ is network and model.n_iter_ == 5 and len(model.loss_curve_) == 10
    assert model.t_ == 10 * len(X)
    assert model.loss_curve_[5] < model.loss_curve_[0]  # went on from where it stopped
    assert model.get_params() == first
    with pytest.raises(ValueError, match="same classes"):
        model.fit(X[y < 2], y[y < 2])


def test_partial_fit_needs_the_classes_first_and_takes_one_epoch(iris):
    X, y = iris
    model = small_mlp(random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        model.partial_fit(X, y)
    model.partial_fit(X[y == 0], y[y == 0], classes=[0, 1, 2])
    model.partial_fit(X[y == 2], y[y == 2])
    assert model.classes_.tolist() == [0, 1, 2] and model.n_iter_ == 1
    assert len(model.loss_curve_) == 2
    with pytest.raises(ValueError, match="is not the same as on last call"):
        model.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="has classes not in"):
        model.partial_fit(X[:2], [0, 7])
    assert not hasattr(small_mlp(solver="lbfgs"), "partial_fit")


def test_sample_weight_counts_a_row_as_often_as_its_weight():
    # Full batches: a weight of 2 is the row given twice.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), np.arange(20) % 2
    settings = dict(hidden_layer_sizes=(4,), solver="sgd", max_iter=5,
                    shuffle=False, random_state=0, alpha=0.1)  # fmt: skip
    weights = np.ones(20)
    weights[:5] = 2
    with pytest.warns(ConvergenceWarning):
        weighted = GlassMLPClassifier(**settings).fit(X, y, sample_weight=weights)
    with pytest.warns(ConvergenceWarning):
        repeated = GlassMLPClassifier(**settings).fit(np.vstack([X, X[:5]]),
                                                      np.concatenate([y, y[:5]]))  # fmt: skip
    for ours, theirs in zip(weighted.coefs_, repeated.coefs_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_sparse_inputs_give_the_dense_results():
    scipy_sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6)) * (rng.random((30, 6)) < 0.3)
    y = np.arange(30) % 3
    settings = dict(hidden_layer_sizes=(5,), max_iter=20, random_state=0)
    with pytest.warns(ConvergenceWarning):
        dense = GlassMLPClassifier(**settings).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        sparse = GlassMLPClassifier(**settings).fit(scipy_sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sparse.coefs_[0], dense.coefs_[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(sparse.predict_proba(scipy_sparse.csc_matrix(X)),
                               dense.predict_proba(X), rtol=1e-12)  # fmt: skip


def test_verbose_prints_each_epoch(iris, capsys):
    X, y = iris
    with pytest.warns(ConvergenceWarning):
        small_mlp(max_iter=2, verbose=3).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Iteration 1, loss = ") and out[1].startswith("Iteration 2, ")


def test_lbfgs_reaches_scikit_learns_lbfgs_accuracy_on_iris(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    settings = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=500, random_state=0)
    glass = cross_val_score(GlassMLPClassifier(**settings), X, y).mean()
    reference = cross_val_score(MLPClassifier(**settings), X, y).mean()
    assert glass >= reference - 0.01 and glass > 0.9, (glass, reference)


# ---------------------------------------------------------------- the glass box
def test_trace_is_one_step_on_a_copy(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = small_mlp(hidden_layer_sizes=(4,), random_state=0).fit(X, y)
    before = model.network_.get_weights()
    trace = model.trace(X[:3], y[:3], learning_rate=0.5)
    assert isinstance(trace, Trace)
    for old, now in zip(before, model.network_.get_weights(), strict=True):
        np.testing.assert_array_equal(old, now)  # the estimator is untouched
    # new W[1] = W[1] - learning_rate * dE/dW[1], with the L2 term alpha / 3 for 3 rows
    np.testing.assert_allclose(trace["new W[1]"], before[0] - 0.5 * trace["dE/dW[1]"])
    assert trace["a[2]"].shape == (3, 3)
    np.testing.assert_allclose(trace["a[2]"], model.predict_proba(X[:3]))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_plots_draw_the_fitted_network(iris):
    plot = pytest.importorskip("glassnet.plot")  # the plot extra (matplotlib)
    from matplotlib import pyplot

    X, y = iris
    X = StandardScaler().fit_transform(X[:, 2:])
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = small_mlp(random_state=0).fit(X, names)
    # network_ is a glassnet classifier in its own right: it knows the labels.
    assert model.network_.classes.tolist() == model.classes_.tolist()
    np.testing.assert_array_equal(model.network_.predict(X), model.predict(X))
    figure = plot.decision_boundary(model.network_, X, names)
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert {"class setosa", "class versicolor", "class virginica"} <= set(legend)
    curve = plot.loss_curve(model.network_).axes[0].lines[0].get_ydata()
    np.testing.assert_allclose(curve[-len(model.loss_curve_) :], model.loss_curve_)
    pyplot.close("all")


# ---------------------------------------------------------------- acceptance: digits
def test_digits_accuracy_within_one_point_of_scikit_learn():
    # scikit-learn's digits, 80/20 split with random_state 0, standardised; both MLPs with
    # one hidden layer of 100 ReLU units, Adam and max_iter 200. Each is averaged over five
    # seeds, since one seed moves the accuracy by about a point either way.
    threadpoolctl = pytest.importorskip("threadpoolctl")
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    accuracy = {GlassMLPClassifier: [], MLPClassifier: []}
    with threadpoolctl.threadpool_limits(1):
        for seed in range(5):
            for estimator in accuracy:
                model = estimator(hidden_layer_sizes=(100,), solver="adam", max_iter=200,
                                  random_state=seed)  # fmt: skip
                accuracy[estimator].append(model.fit(X_train, y_train).score(X_test, y_test))
    glass, reference = np.mean(accuracy[GlassMLPClassifier]), np.mean(accuracy[MLPClassifier])
    assert reference > 0.95
    assert abs(glass - reference) <= 0.01, (glass, reference)
