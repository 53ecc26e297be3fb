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
def test_fitted_attributes_and_loss_curve(iris):
    X, y = iris
    model = small_mlp(random_state=0).fit(StandardScaler().fit_transform(X), y)
    assert model.n_iter_ == len(model.loss_curve_) < 500  # stopped by the tol rule
    assert model.loss_curve_[-1] < model.loss_curve_[0] / 5
    assert model.validation_loss_curve_ is None
    assert model.network_.output_layer.activation.name == "softmax"
    assert [layer.n_outputs for layer in model.network_.dense_layers] == [16, 3]
    assert model.network_.dense_layers[0].l2 == pytest.approx(1e-4 / 150)
    assert model.predict_proba(X[:5]).sum(axis=1) == pytest.approx(np.ones(5))


def test_output_layer_and_loss_follow_the_number_of_classes(iris):
    X, y = iris
    two = small_mlp(max_iter=3, tol=1.0, n_iter_no_change=1).fit(X[y < 2], y[y < 2])
    three = small_mlp(max_iter=3, tol=1.0, n_iter_no_change=1).fit(X, y)
    assert (two.network_.output_layer.activation.name, two.network_.loss.name) == (
        "sigmoid",
        "binary_crossentropy",
    )
    assert (three.network_.output_layer.activation.name, three.network_.loss.name) == (
        "softmax",
        "crossentropy",
    )


def test_convergence_is_read_from_the_stop_record(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stopped by the rule: no ConvergenceWarning
        stopped = small_mlp(random_state=0).fit(X, y)
    assert stopped.network_.stop.early and stopped.network_.stop.kind == "early_stopping"
    with pytest.warns(ConvergenceWarning, match="reached max_iter=3 epochs"):
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
    model = GlassMLPClassifier((32,), learning_rate_init=0.01, max_iter=300, early_stopping=True,
                               n_iter_no_change=5, random_state=0)  # fmt: skip
    model.fit(X, y[:600])
    curve = model.validation_loss_curve_
    assert len(curve) == len(model.loss_curve_) == model.n_iter_ < 300
    # scikit-learn's rule restated: stop once more than n_iter_no_change epochs in a row
    # failed to beat the best validation loss before them by more than tol.
    failures = [curve[i] > min(curve[:i]) - 1e-4 for i in range(1, len(curve))]
    assert failures[-6:] == [True] * 6
    assert not any(all(failures[i : i + 6]) for i in range(len(failures) - 6))  # and not earlier


def test_warm_start_continues_and_accumulates(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = small_mlp(max_iter=5, warm_start=True, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=5"):
        model.fit(X, y)
    network, first = model.network_, model.get_params()
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert model.network_ is network and model.n_iter_ == 10 and len(model.loss_curve_) == 10
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
    assert model.classes_.tolist() == [0, 1, 2] and model.n_iter_ == 2
    with pytest.raises(ValueError, match="differs"):
        model.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="not one of the classes"):
        model.partial_fit(X[:2], [0, 7])


def test_one_class_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="needs at least two classes; y has one class"):
        GlassMLPClassifier().fit([[0.0], [1.0]], [1, 1])


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
    np.testing.assert_allclose(curve[1:], model.loss_curve_)  # curve[0]: before training
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
