"""glassnet.plot: the pictures are checked for what they show, rendered with Agg."""

import doctest
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib import pyplot  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from PIL import Image  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import plot  # noqa: E402
from glassnet.cli.main import main  # noqa: E402
from glassnet.datasets import logic_gate, make_blobs, seven_records  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OR_WEIGHTS = [0.49671415, -0.1382643]  # tutorial 002: legacy seed 42 randn(2)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    pyplot.close("all")


def or_perceptron() -> gn.Perceptron:
    X, y = logic_gate("OR")
    return gn.Perceptron(2, learning_rate=0.1, weights=OR_WEIGHTS).fit(X, y)


def pixel(figure, ax, x: float, y: float) -> np.ndarray:
    """The RGB colour (0..1) the rendered figure shows at data point (x, y)."""
    figure.canvas.draw()
    image = np.asarray(figure.canvas.buffer_rgba())
    column, row = ax.transData.transform((x, y))
    # Display coordinates count rows from the bottom; the buffer from the top.
    return image[image.shape[0] - 1 - int(row), int(column), :3] / 255.0


def tint(colour: str) -> np.ndarray:
    """A region's shade: 35% of the class colour, the rest white."""
    return 0.35 * np.array(to_rgb(colour)) + 0.65


def luminance(rgb) -> float:
    red, green, blue = to_rgb(rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


# ------------------------------------------------------------------ the optional extra
def test_importing_glassnet_never_imports_matplotlib():
    code = (
        "import sys, glassnet, glassnet.cli.main\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_without_matplotlib_the_import_error_says_how_to_install_it():
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None  # as if it were not installed\n"
        "try:\n"
        "    import glassnet.plot\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "pip install 'glassnet[plot]'" in result.stdout


def test_docstring_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(plot, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0


# ------------------------------------------------------------------ decision regions
def test_or_perceptron_colours_its_two_classes_where_the_data_are():
    perceptron = or_perceptron()
    X, y = logic_gate("OR")
    figure = plot.decision_boundary(perceptron, X, y)
    ax = figure.axes[0]
    # The points drawn at (0, 0) and (1, 1) carry their classes' colours.
    class_0, class_1 = pixel(figure, ax, 0, 0), pixel(figure, ax, 1, 1)
    assert np.allclose(class_0, to_rgb(plot.PALETTE[0]), atol=3 / 255)
    assert np.allclose(class_1, to_rgb(plot.PALETTE[1]), atol=3 / 255)
    # Away from the points, the regions: (-0.1, 0.2) is on class 0's side, (0.5, 0.5) not.
    assert perceptron.predict([[-0.1, 0.2], [0.5, 0.5]]).tolist() == [0.0, 1.0]
    assert np.allclose(pixel(figure, ax, -0.1, 0.2), tint(plot.PALETTE[0]), atol=3 / 255)
    assert np.allclose(pixel(figure, ax, 0.5, 0.5), tint(plot.PALETTE[1]), atol=3 / 255)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[1:] == ["class 0", "class 1"]
    assert ax.get_title() and ax.get_xlabel() == "x1" and ax.get_ylabel() == "x2"


def test_the_first_two_class_colours_differ_in_greyscale_too():
    assert abs(luminance(plot.PALETTE[0]) - luminance(plot.PALETTE[1])) > 0.2
    assert abs(luminance(tint(plot.PALETTE[0])) - luminance(tint(plot.PALETTE[1]))) > 0.05


def boundary_line(ax):
    (line,) = [line for line in ax.get_lines() if line.get_label().startswith("boundary")]
    return line, np.array(line.get_xy1()), np.array(line.get_xy2())


def test_perceptron_boundary_is_the_line_w_dot_x_plus_b_equals_zero():
    perceptron = or_perceptron()
    w = perceptron.weights
    figure = plot.decision_boundary(perceptron, *logic_gate("OR"))
    line, first, second = boundary_line(figure.axes[0])
    assert w @ first == pytest.approx(0, abs=1e-12)
    assert w @ second == pytest.approx(0, abs=1e-12)
    assert not np.allclose(first, second)
    # Tutorial 002 joins (w1, 0) and (0, w2); (w1, 0) is not on the real boundary.
    assert abs(w @ [w[0], 0.0]) > 0.1
    assert line.get_label() == "boundary 0.497 x1 + 0.0617 x2 = 0"


def test_perceptron_boundary_with_bias_and_more_features_holds_the_others_at_their_mean():
    X = np.array([[0.0, 1.0, 2.0], [1.0, 3.0, 0.0], [2.0, 5.0, 1.0], [3.0, 7.0, 3.0]])
    y = np.array([0, 0, 1, 1])
    perceptron = gn.Perceptron(3, weights=[1.0, 0.5, -2.0], bias=-1.5)
    figure = plot.decision_boundary(perceptron, X, y, features=(0, 2))
    ax = figure.axes[0]
    _, first, second = boundary_line(ax)
    # w1 x1 + w3 x3 + (b + w2 * mean(x2)) = 0, with mean(x2) = 4
    for x1, x3 in (first, second):
        assert 1.0 * x1 - 2.0 * x3 + (-1.5 + 0.5 * 4.0) == pytest.approx(0, abs=1e-12)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x3")


def test_a_vertical_boundary_is_drawn_too():
    perceptron = gn.Perceptron(2, weights=[1.0, 0.0], bias=-0.5)
    figure = plot.decision_boundary(perceptron, *logic_gate("AND"))
    _, first, second = boundary_line(figure.axes[0])
    assert first[0] == second[0] == pytest.approx(0.5)


def test_three_class_network_regions_are_its_predictions():
    X, y = make_blobs(90, centers=3, seed=1)
    network = gn.Network(
        [gn.Dense(2, 8, "tanh"), gn.Dense(8, 3, "softmax")], loss="crossentropy", seed=0
    )
    network.fit(X, y, epochs=200, learning_rate=0.1, optimizer="adam")
    figure = plot.decision_boundary(network, X, y, resolution=40)
    ax = figure.axes[0]
    regions = np.asarray(ax.images[0].get_array())  # (40, 40) class positions
    x_low, x_high, y_low, y_high = ax.images[0].get_extent()
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, 40), np.linspace(y_low, y_high, 40))
    expected = network.predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    assert np.array_equal(regions.ravel(), expected)
    assert set(regions.ravel().tolist()) == {0, 1, 2}
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["boundary", "class 0", "class 1", "class 2"]
    # Each class's points are drawn in its colour and its own marker shape.
    scatters = ax.collections[-3:]
    assert len({tuple(s.get_facecolor()[0]) for s in scatters}) == 3
    assert len({s.get_paths()[0].vertices.tobytes() for s in scatters}) == 3


def test_network_without_class_labels_reads_its_output_above_one_half_as_class_1():
    X, y = seven_records()  # tutorial 001: mse-style loss on 0/1 targets
    network = gn.Network([gn.Dense(3, 1, "sigmoid")], loss="half_sse", seed=0)
    network.fit(X, y.reshape(-1, 1), epochs=500, learning_rate=0.5)
    assert network.classes is None
    figure = plot.decision_boundary(network, X, y, features=(0, 1), resolution=30)
    ax = figure.axes[0]
    x_low, x_high, y_low, y_high = ax.images[0].get_extent()
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, 30), np.linspace(y_low, y_high, 30))
    points = np.column_stack([grid_x.ravel(), grid_y.ravel(), np.full(900, X[:, 2].mean())])
    expected = (network.forward(points)[:, 0] > 0.5).astype(int)
    assert np.array_equal(np.asarray(ax.images[0].get_array()).ravel(), expected)
    assert ax.get_title() == "Decision regions of the 3-1 network"


def test_xor_network_pixels_follow_its_predictions():
    xor = plot.example("xor")
    figure = plot.decision_boundary(xor.model, xor.X, xor.y)
    ax = figure.axes[0]
    for point in ([0.5, 1.1], [0.5, 0.5]):  # between the points: class 1 above, class 0 middle
        predicted = int(xor.model.predict([point])[0])
        assert np.allclose(pixel(figure, ax, *point), tint(plot.PALETTE[predicted]), atol=3 / 255)
    assert xor.model.predict([[0.5, 1.1], [0.5, 0.5]]).tolist() == [1, 0]


def test_more_than_two_features_need_a_choice():
    X = np.zeros((4, 3))
    perceptron = gn.Perceptron(3, weights=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"X has 3 features; choose .* features=\(i, j\)"):
        plot.decision_boundary(perceptron, X, [0, 1, 0, 1])
    for bad in ((0, 0), (0, 3), (1,), "01"):
        with pytest.raises(ValueError, match="features must be two different column numbers"):
            plot.decision_boundary(perceptron, X, [0, 1, 0, 1], features=bad)


def test_bad_labels_and_models_are_clear_errors():
    perceptron = or_perceptron()
    X, _ = logic_gate("OR")
    with pytest.raises(ValueError, match="label 7.* the model does not predict"):
        plot.decision_boundary(perceptron, X, [0, 1, 7, 1])
    with pytest.raises(ValueError, match="y has 3 labels but X has 4 rows"):
        plot.decision_boundary(perceptron, X, [0, 1, 1])
    with pytest.raises(TypeError, match="Perceptron or Network"):
        plot.decision_boundary(object(), X, [0, 1, 1, 1])
    with pytest.raises(ValueError, match="3 columns but the network expects 2"):
        plot.decision_boundary(perceptron, np.zeros((4, 3)), [0, 1, 1, 1])


def test_draws_into_a_given_axes_and_returns_it():
    figure, (left, right) = pyplot.subplots(1, 2)
    result = plot.decision_boundary(or_perceptron(), *logic_gate("OR"), ax=right)
    assert result is right
    assert right.images and not left.images


# ------------------------------------------------------------------ loss curves
def test_loss_curve_has_one_point_per_epoch_from_epoch_zero():
    X, y = make_blobs(60, centers=2, seed=0)
    network = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    history = network.fit(X, y, epochs=7, learning_rate=0.1, validation_split=0.25)
    figure = plot.loss_curve(history)
    (training, validation) = figure.axes[0].get_lines()
    assert training.get_xdata().tolist() == list(range(8))
    assert training.get_ydata().tolist() == [history.initial["loss"], *history.loss]
    assert validation.get_ydata().tolist() == [
        history.initial["val_loss"],
        *history.history["val_loss"],
    ]
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == [
        "training loss",
        "validation loss",
    ]
    assert figure.axes[0].get_xlabel() == "epoch"
    assert figure.axes[0].get_yscale() == "linear"


def test_loss_curve_with_a_metric_and_log_scale():
    xor = plot.example("xor")
    figure = plot.loss_curve(xor.model, metric="accuracy", log=True)
    loss_axes, metric_axes = figure.axes
    assert loss_axes.get_yscale() == "log"
    assert loss_axes.get_ylabel() == "loss (binary_crossentropy)"
    assert metric_axes.get_ylabel() == "accuracy"
    (accuracy,) = metric_axes.get_lines()
    assert len(accuracy.get_xdata()) == 2001
    assert accuracy.get_ydata()[-1] == 1.0


def test_loss_curve_of_a_perceptron_shows_errors_and_rmse_per_epoch():
    figure = plot.loss_curve(or_perceptron())
    errors_axes, rmse_axes = figure.axes
    (errors,), (rmse,) = errors_axes.get_lines(), rmse_axes.get_lines()
    assert errors.get_xdata().tolist() == [1, 2, 3]
    assert errors.get_ydata().tolist() == [1, 1, 0]
    assert rmse.get_ydata().tolist() == [0.5, 0.5, 0.0]
    assert "converged at epoch 3" in figure._suptitle.get_text()


def test_loss_curve_errors():
    with pytest.raises(ValueError, match="no metric 'f1'; it has \\['accuracy', 'loss'\\]"):
        plot.loss_curve(plot.example("xor").model, metric="f1")
    with pytest.raises(ValueError, match="no epochs"):
        plot.loss_curve(gn.History())
    with pytest.raises(ValueError, match="no training history"):
        plot.loss_curve(gn.Network([gn.Dense(2, 1)]))
    with pytest.raises(ValueError, match="call fit first"):
        plot.loss_curve(gn.Perceptron(2))
    with pytest.raises(ValueError, match="errors reach 0"):
        plot.loss_curve(or_perceptron(), log=True)
    with pytest.raises(TypeError, match="History, Network or Perceptron"):
        plot.loss_curve({"loss": [1.0]})


# ------------------------------------------------------------------ network diagram
def weight_lines(ax) -> dict[str, object]:
    return {line.get_gid(): line for line in ax.get_lines() if (line.get_gid() or "")[:2] == "W["}


def test_network_diagram_draws_one_line_per_weight_by_sign_and_size():
    network = gn.Network(
        [
            gn.Standardize([0.0] * 3, [1.0] * 3),
            gn.Dense(3, 5, "relu"),
            gn.Dropout(0.2),
            gn.Dense(5, 4, "tanh"),
            gn.Dense(4, 2, "softmax"),
        ],
        loss="crossentropy",
        seed=3,
    )
    figure = plot.network_diagram(network)
    lines = weight_lines(figure.axes[0])
    assert len(lines) == 3 * 5 + 5 * 4 + 4 * 2
    widths = []
    for index, layer in enumerate(network.dense_layers, start=1):
        for (i, j), w in np.ndenumerate(layer.weights):
            line = lines[f"W[{index}][{i + 1},{j + 1}]"]
            positive = w >= 0
            assert to_rgb(line.get_color()) == to_rgb("#0072B2" if positive else "#D55E00")
            assert line.get_linestyle() == ("-" if positive else "--")
            widths.append((abs(w), line.get_linewidth()))
    widths.sort()
    assert all(a[1] <= b[1] for a, b in pairwise(widths))  # wider for larger |w|
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert "layer 2\n4 tanh\n(after dropout 0.2)" in texts
    assert "layer 1\n5 relu\n(after standardize)" in texts


def test_network_diagram_labels_z_and_a_for_a_sample():
    xor = plot.example("xor")
    figure = plot.network_diagram(xor.model, x=[1.0, 0.0])
    output = xor.model.output_layer
    xor.model.forward([1.0, 0.0])
    z, a = output.cache[1][0, 0], output.cache[2][0, 0]
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert f"b = {output.bias[0]:.3g}\nz = {z:.3g}\na = {a:.3g}" in texts
    assert texts.count("tanh") == 4 and texts.count("sigmoid") == 1
    assert "value 1" in texts and "value 0" in texts
    assert len(weight_lines(figure.axes[0])) == 2 * 4 + 4 * 1


def test_network_diagram_errors():
    network = gn.Network([gn.Dense(2, 1)])
    with pytest.raises(ValueError, match="x must be one sample of 2 numbers, got 2 rows"):
        plot.network_diagram(network, x=[[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, 2\), got shape \(3,\)"):
        plot.network_diagram(network, x=[0, 1, 2])
    with pytest.raises(TypeError, match="must be a glassnet Network"):
        plot.network_diagram(or_perceptron())


# ------------------------------------------------------------------ animation and saving
def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as image:
        frames = []
        for number in range(image.n_frames):
            image.seek(number)
            frames.append(np.asarray(image.convert("RGB")))
    return frames


def test_perceptron_animation_has_a_frame_per_epoch(tmp_path):
    X, y = logic_gate("OR")
    perceptron = gn.Perceptron(2, learning_rate=0.1, weights=OR_WEIGHTS)
    path = tmp_path / "or.gif"
    plot.training_animation(perceptron, X, y, path)
    frames = gif_frames(path)
    # The start and three epochs; the held last frame merges into one long GIF frame.
    assert len(frames) == 4
    assert all(not np.array_equal(a, b) for a, b in pairwise(frames))
    assert perceptron.converged  # the animation trained the perceptron given to it
    assert os.listdir(tmp_path) == ["or.gif"]


def test_network_animation_takes_a_frame_every_few_epochs(tmp_path):
    X, y = logic_gate("XOR")
    network = gn.Network(
        [gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "sigmoid")], loss="binary_crossentropy", seed=0
    )
    animation = plot.training_animation(
        network, X, y, tmp_path / "xor.gif", epochs=40, every=10, learning_rate=0.5, resolution=30
    )
    assert len(network.history) == 40
    frames = gif_frames(tmp_path / "xor.gif")
    assert 2 <= len(frames) <= 5  # epochs 0, 10, 20, 30, 40 (identical neighbours merge)
    assert animation is not None


def test_animation_errors(tmp_path):
    X, y = logic_gate("OR")
    perceptron = gn.Perceptron(2, weights=OR_WEIGHTS)
    with pytest.raises(ValueError, match="end the name in .gif"):
        plot.training_animation(perceptron, X, y, tmp_path / "or.png")
    with pytest.raises(ValueError, match="takes no \\['learning_rate'\\]"):
        plot.training_animation(perceptron, X, y, learning_rate=0.5)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        plot.training_animation(perceptron, X, y, epochs=0)
    assert perceptron.epochs_ == []  # refused before training


def test_save_checks_format_and_folder_and_leaves_no_partial_file(tmp_path):
    figure = plot.loss_curve(or_perceptron())
    svg = plot.save(figure, tmp_path / "loss.svg")
    assert Path(svg).read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="unknown picture format 'jpg'"):
        plot.save(figure, tmp_path / "loss.jpg")
    with pytest.raises(ValueError, match="the folder .* does not exist"):
        plot.save(figure, tmp_path / "missing" / "loss.png")
    assert sorted(os.listdir(tmp_path)) == ["loss.svg"]


def test_examples():
    assert plot.example("xor").model.predict(logic_gate("XOR")[0]).tolist() == [0, 1, 1, 0]
    assert plot.example("or", train=False).model.epochs_ == []
    spirals = plot.example("spirals")
    assert spirals.model.evaluate(spirals.X, spirals.y)["accuracy"] > 0.95
    with pytest.raises(ValueError, match="unknown example 'and'; expected one of or, xor"):
        plot.example("and")


def test_the_readme_pictures_script_writes_small_pngs(tmp_path):
    script = ROOT / "docs" / "make_pictures.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    names = sorted(os.listdir(tmp_path))
    assert names == [
        "or_boundary.png",
        "or_loss.png",
        "spirals_boundary.png",
        "xor_boundary.png",
        "xor_loss.png",
        "xor_network.png",
    ]
    for name in names:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / name).stat().st_size < 100_000


# ------------------------------------------------------------------ command line
def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_cli_draws_an_example(tmp_path, capsys):
    out = tmp_path / "xor.png"
    assert main(["plot", "boundary", "--example", "xor", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size[0] > 300
    for kind, name, extra in (("loss", "loss.svg", ["--metric", "accuracy", "--log"]),
                              ("network", "net.png", ["--x", "1,0"]),
                              ("animation", "or.gif", [])):  # fmt: skip
        example = "or" if kind == "animation" else "xor"
        args = ["plot", kind, "--example", example, "--out", str(tmp_path / name), *extra]
        assert main(args) == 0, capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["loss.svg", "net.png", "or.gif", "xor.png"]
    assert len(gif_frames(tmp_path / "or.gif")) == 4


def test_cli_draws_a_model_file_with_its_data(tmp_path, capsys):
    X, labels = make_blobs(60, centers=3, n_features=3, seed=2)
    y = np.array(["ant", "bee", "cat"])[labels]
    data = tmp_path / "bugs.csv"
    rows = [f"{a},{b},{c},{label}" for (a, b, c), label in zip(X, y, strict=True)]
    data.write_text("width,height,depth,kind\n" + "\n".join(rows) + "\n")
    network = gn.Network([gn.Dense(3, 6, "tanh"), gn.Dense(6, 3, "softmax")],
                         loss="crossentropy", seed=0)  # fmt: skip
    network.fit(X, y, epochs=50, learning_rate=0.05, optimizer="adam")
    model = tmp_path / "bugs.glassnet"
    gn.save(network, model)
    out = tmp_path / "bugs.png"
    args = ["plot", "boundary", "--model", str(model), "--data", str(data), "--target", "kind"]
    assert main([*args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "3 feature columns (width, height, depth); choose the two to draw with --features" in err
    assert main([*args, "--features", "0,2", "--out", str(out)]) == 0
    assert out.exists()
    assert main(["plot", "network", "--model", str(model), "--out", str(tmp_path / "n.png")]) == 0


def test_cli_draws_a_training_log(tmp_path):
    X, y = logic_gate("XOR")
    network = gn.Network([gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "sigmoid")],
                         loss="binary_crossentropy", seed=0)  # fmt: skip
    log = tmp_path / "log.csv"
    network.fit(X, y, epochs=30, learning_rate=0.5, callbacks=[gn.CSVLogger(log)])
    out = tmp_path / "loss.png"
    assert main(["plot", "loss", "--history", str(log), "--metric", "accuracy",
                 "--out", str(out)]) == 0  # fmt: skip
    assert out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["plot", "boundary", "--out", "x.png"], 2, "give one of --model FILE, --example NAME"),
        (["plot", "loss", "--model", "m.glassnet", "--out", "x.png"], 2, "--history LOG.csv"),
        (["plot", "network", "--example", "or", "--out", "x.png"], 2, "this is a Perceptron"),
        (["plot", "boundary", "--example", "or", "--out", "x.jpg"], 1, "unknown picture format"),
        (["plot", "animation", "--example", "or", "--out", "x.png"], 1, "end the name in .gif"),
        (["plot", "boundary", "--example", "or", "--features", "0", "--out", "x.png"], 2,
         "expected two column numbers"),
        (["plot", "boundary", "--model", "missing.glassnet", "--data", "d.csv",
          "--out", "x.png"], 1, "missing.glassnet: no such file"),
    ],
)  # fmt: skip
def test_cli_plot_errors_are_one_line(args, code, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(args) == code
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == []


def test_demo_writes_its_pictures_and_names_the_folder_last(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    line = last_line(capsys.readouterr().out)
    assert line.endswith("written to glassnet-demo")
    names = ["or_boundary.png", "or_loss.png", "xor_boundary.png", "xor_loss.png",
             "xor_network.png", "or_training.gif"]  # fmt: skip
    assert sorted(os.listdir(tmp_path / "glassnet-demo")) == sorted(names)
    assert all(name in line for name in names)
    assert main(["demo", "neuron"]) == 0  # one demo: no pictures unless asked
    assert "Pictures" not in capsys.readouterr().out


def test_demo_without_matplotlib_says_how_to_get_the_pictures(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    assert main(["demo", "perceptron-or", "--pictures", "pics"]) == 0
    assert "pip install 'glassnet[plot]'" in last_line(capsys.readouterr().out)
    assert os.listdir(tmp_path) == []
    assert main(["plot", "boundary", "--example", "or", "--out", "or.png"]) == 2
    assert "pip install 'glassnet[plot]'" in capsys.readouterr().err
