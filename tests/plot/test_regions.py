"""glassnet.plot.regions: decision regions are checked for what they show, rendered with Agg."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib import pyplot  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import plot  # noqa: E402
from glassnet.datasets import logic_gate, make_blobs, seven_records  # noqa: E402


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


def test_or_perceptron_colours_its_two_classes_where_the_data_are(or_perceptron):
    perceptron = or_perceptron
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


def test_perceptron_boundary_is_the_line_w_dot_x_plus_b_equals_zero(or_perceptron):
    perceptron = or_perceptron
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


def test_bad_labels_and_models_are_clear_errors(or_perceptron):
    perceptron = or_perceptron
    X, _ = logic_gate("OR")
    with pytest.raises(ValueError, match="label 7.* the model does not predict"):
        plot.decision_boundary(perceptron, X, [0, 1, 7, 1])
    with pytest.raises(ValueError, match="y has 3 labels but X has 4 rows"):
        plot.decision_boundary(perceptron, X, [0, 1, 1])
    with pytest.raises(TypeError, match="Perceptron or Network"):
        plot.decision_boundary(object(), X, [0, 1, 1, 1])
    with pytest.raises(ValueError, match="3 columns but the network expects 2"):
        plot.decision_boundary(perceptron, np.zeros((4, 3)), [0, 1, 1, 1])
    with pytest.raises(ValueError, match=r"resolution must be a whole number in \[2, inf\), got 1"):
        plot.decision_boundary(perceptron, X, [0, 1, 1, 1], resolution=1)


def test_draws_into_a_given_axes_and_returns_it(or_perceptron):
    figure, (left, right) = pyplot.subplots(1, 2)
    result = plot.decision_boundary(or_perceptron, *logic_gate("OR"), ax=right)
    assert result is right
    assert right.images and not left.images


def test_columns_too_wide_to_draw_are_named_and_huge_held_columns_are_drawn():
    net = gn.Network([gn.Dense(3, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    net.fit([[0, 0, 0], [1, 1, 1]], [0, 1], epochs=1)
    wide = np.array([[0.0, 1e308, 0.0], [1.0, -1e308, 0.0]])
    with pytest.raises(ValueError, match=r"X's column 1 runs from -1e\+308 to 1e\+308, too wide"):
        plot.decision_boundary(net, wide, [0, 1], features=(0, 1))
    # A column held at its mean whose sum overflows: its mean is still 1e308.
    held = np.array([[0.0, 1.0, 1e308], [1.0, 0.0, 1e308]])
    figure = plot.decision_boundary(net, held, [0, 1], features=(0, 1))
    assert figure.axes[0].get_xlabel() != ""
