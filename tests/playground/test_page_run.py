"""The page in a real browser: a run trains, explains itself, uploads a CSV, replays the
perceptron, exports its model and rebuilds from a link."""

import re

import numpy as np
import pytest
from tests.playground.conftest import open_page, text_of

import glassnet
from glassnet.glassbox.tutorials import TEXTBOOK_TABLES


def point_on_screen(page, split, index):
    """Where sample ``index`` of ``split`` is drawn on the page, in page pixels."""
    return page.evaluate(
        """([split, index]) => {
            const {data} = window.playground.page;
            const box = document.getElementById("regions").getBoundingClientRect();
            const [[x0, x1], [y0, y1]] = data.bounds;
            const [x, y] = data[split].x[index];
            return [box.left + (x - x0) / (x1 - x0) * box.width,
                    box.top + (1 - (y - y0) / (y1 - y0)) * box.height];
        }""",
        [split, index],
    )


def line_on_screen(page, index, along=0.2):
    """A point ``along`` the way down weight line ``index`` of the diagram."""
    return page.evaluate(
        """([index, along]) => {
            const line = window.playground.page.diagram.lines[index];
            const box = window.playground.page.diagram.canvas.getBoundingClientRect();
            return [box.left + line.x1 + along * (line.x2 - line.x1),
                    box.top + line.y1 + along * (line.y2 - line.y1)];
        }""",
        [index, along],
    )


def test_xor_trains_and_a_neuron_a_weight_and_a_sample_explain_themselves(page, base_url):
    open_page(page, base_url + "?dataset=moons")
    page.select_option("#dataset", "xor")
    page.wait_for_function("window.playground.page.data.bounds[0][1] < 2")  # XOR's corners
    assert "dataset=xor" in page.url
    page.click("#play")
    page.wait_for_function(
        "Number(document.getElementById('test-accuracy').textContent) >= 0.95", timeout=60_000
    )
    page.click("#play")  # pause
    assert text_of(page, "#play") == "Play"
    assert float(text_of(page, "#frame-ms")) > 0

    page.click("canvas.neuron.hidden >> nth=0")
    page.wait_for_function("document.getElementById('formula-lines').textContent.includes('tanh')")
    assert text_of(page, "#formula-title").startswith("neuron 1 of layer 1 (hidden)")
    lines = text_of(page, "#formula-lines")
    assert "z[1]_1 = sum over i of W[1]_i1 * x_i + b[1]_1" in lines
    assert re.search(r"a\[1\]_1 = tanh\(z\) = -?[\d.]+", lines)

    x, y = point_on_screen(page, "test", 7)
    page.mouse.click(x, y)
    page.wait_for_function("window.playground.page.sample.split === 'test'")
    index = page.evaluate("window.playground.page.sample.index")
    page.wait_for_function(
        f"document.getElementById('formula-title').textContent.endsWith('test sample {index}')"
    )
    assert text_of(page, "#sample-label") == f"selected: test sample {index}"

    page.mouse.click(*line_on_screen(page, 1))  # the second weight into neuron 1: W[1]_21
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.startsWith('weight W[1]_21')"
    )
    assert "dE/dW[1]_21 = x_2 * delta[1]_1" in text_of(page, "#formula-lines")

    page.focus("canvas.neuron.output")  # the keyboard reaches the neurons too
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.includes('(output)')"
    )
    assert "(sigmoid with binary_crossentropy)" in text_of(page, "#formula-lines")


def test_a_csv_uploads_as_its_bytes_and_trains(page, base_url, tmp_path):
    open_page(page, base_url)
    csv_file = tmp_path / "points.csv"
    rows = [f"{i % 9},{i % 4},{'yes' if i % 9 > 2 * (i % 4) else 'no'}" for i in range(60)]
    csv_file.write_text("width,height,fits\n" + "\n".join(rows) + "\n")
    page.set_input_files("#csv", str(csv_file))
    page.wait_for_function("window.playground.page.data.target === 'fits'")
    assert page.input_value("#dataset") == "csv"
    assert "points.csv: 60 rows, classification (classes no, yes)" in text_of(page, "#message")
    assert page.get_attribute("canvas.neuron >> nth=0", "aria-label") == "input width"
    assert page.is_disabled("#points") and page.is_disabled("#noise")  # the file sets them
    page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 1")


def test_bad_csv_files_are_explained_on_the_page(page, base_url, tmp_path):
    open_page(page, base_url)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,0\n3,four,1\n")
    page.set_input_files("#csv", str(bad))
    page.wait_for_selector("#message.error")
    assert "bad.csv: row 3, column 'b': 'four' is not a number" in text_of(page, "#message")

    first_column = tmp_path / "first.csv"
    first_column.write_text("kind,x,y\ncat,1,2\ndog,3,4\ncat,5,6\n")
    page.set_input_files("#csv", str(first_column))
    page.wait_for_function("document.getElementById('message').textContent.includes('cat')")
    page.fill("#target", "kind")
    page.dispatch_event("#target", "change")
    page.wait_for_function("window.playground.page.data.target === 'kind'")
    assert "first.csv: 3 rows, classification (classes cat, dog)" in text_of(page, "#message")

    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b,label\n1,2,été\n3,4,ètè\n".encode("latin-1"))
    page.set_input_files("#csv", str(latin))
    page.wait_for_function("document.getElementById('message').textContent.includes('UTF-8')")
    assert "latin.csv: not UTF-8 text: byte 0xe9 on line 2" in text_of(page, "#message")

    huge = tmp_path / "huge.csv"
    huge.write_text("a,b,y\n" + "1.5,2.5,0\n" * 300_000)
    page.set_input_files("#csv", str(huge))
    page.wait_for_function("document.getElementById('message').textContent.includes('huge')")
    assert "huge.csv is 3.0 MB; the playground takes CSV files up to 2 MB" in text_of(
        page, "#message"
    )


def test_a_copied_link_rebuilds_the_same_run(page, browser, base_url):
    open_page(page, base_url + "?dataset=spirals&layers=6,5&activations=relu,tanh&seed=11")
    assert page.input_value("#layers") == "6,5"
    assert page.eval_on_selector_all("#activations select", "s => s.map(e => e.value)") == [
        "relu",
        "tanh",
    ]
    first = page.evaluate("window.playground.page.state.weights")
    other = browser.new_page()
    try:
        open_page(other, page.url)
        assert other.evaluate("window.playground.page.state.weights") == first
        assert other.evaluate("window.playground.page.data") == page.evaluate(
            "window.playground.page.data"
        )
    finally:
        other.close()


def test_changing_the_architecture_starts_a_new_run(page, base_url):
    open_page(page, base_url + "?dataset=circles&layers=4")
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 3")
    page.fill("#layers", "3,2")
    page.dispatch_event("#layers", "change")  # a new run, paused, at epoch 0
    page.wait_for_function("window.playground.page.state.weights.length === 3")
    assert text_of(page, "#play") == "Play"
    assert page.evaluate("window.playground.page.state.epoch") == 0
    assert page.locator("canvas.neuron").count() == 2 + 3 + 2 + 1
    assert "layers=3%2C2" in page.url


def test_the_tutorial_002_preset_replays_its_table_and_exports(page, base_url, tmp_path):
    open_page(page, base_url + "?dataset=moons&lr=0.5&points=50")
    page.select_option("#preset", "tutorial-002")
    page.wait_for_function("window.playground.page.state.perceptron !== undefined")
    for key, value in [("mode", "perceptron"), ("dataset", "or"), ("points", "4"),
                       ("noise", "0"), ("split", "1"), ("seed", "42"), ("lr", "0.1")]:  # fmt: skip
        assert page.input_value(f"#{key}") == value, key
    assert not page.is_checked("#bias") and page.is_hidden("#layers")
    for _ in range(3):
        page.click("#step")
        page.wait_for_function(
            "window.playground.page.state.epoch + 1 === "
            "document.querySelectorAll('#perceptron-table tbody tr').length"
        )
    page.wait_for_function("window.playground.page.state.epoch === 3")
    rows = page.eval_on_selector_all(
        "#perceptron-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t'))"
    )
    # epoch | errors and RMSE of the weights in the row above | the weights after (tutorial 002)
    assert rows[0] == ["start", "", "", "0.49671415", "-0.1382643"]
    assert rows[1] == ["1", "1", "0.5", "0.49671415", "-0.038264301"]
    assert rows[2] == ["2", "1", "0.5", "0.49671415", "0.061735699"]
    assert rows[3] == ["3", "0", "0", "0.49671415", "0.061735699"]
    assert "converged at epoch 3" in text_of(page, "#perceptron-table")

    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "or.glassnet"
    download.value.save_as(path)
    perceptron = glassnet.load(path)
    assert perceptron.weights.tolist() == pytest.approx([0.49671415, 0.0617357])


def test_a_network_export_evaluates_to_the_pages_metrics(page, base_url, tmp_path):
    open_page(page, base_url + "?dataset=circles&layers=5&points=120&seed=4")
    for _ in range(5):
        page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 5")
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "circles.glassnet"
    download.value.save_as(path)
    network = glassnet.load(path)
    X = page.evaluate("window.playground.page.data.test.x")
    y = page.evaluate("window.playground.page.data.test.y")
    loss = network.evaluate(X, y)["loss"]
    assert float(text_of(page, "#test-loss")) == pytest.approx(loss, abs=5e-5)
    assert download.value.suggested_filename == "playground-circles-epoch5.glassnet"


@pytest.mark.parametrize(
    "preset, epochs, last",
    [
        ("negnevitsky-and", 5, ["5", "0", "0", "0.1", "0.1"]),
        ("fausett-and", 10, ["10", "0", "0", "2", "3", "-4"]),
    ],
)
def test_the_textbook_presets_replay_their_books_tables(page, base_url, tmp_path, preset,
                                                         epochs, last):  # fmt: skip
    open_page(page, base_url)
    page.select_option("#preset", preset)
    page.wait_for_function(f"window.playground.page.state.perceptron && "
                           f"location.search.includes('book={preset}')")  # fmt: skip
    assert page.is_disabled("#dataset") and page.is_disabled("#lr")  # the book's own
    assert "chapter" in text_of(page, "#book-note")
    for epoch in range(1, epochs + 1):
        page.click("#step")
        page.wait_for_function(f"window.playground.page.state.epoch === {epoch}")
    rows = page.eval_on_selector_all(
        "#perceptron-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t'))"
    )
    assert rows[-1] == last and len(rows) == epochs + 1
    assert "converged at epoch" in text_of(page, "#perceptron-table")
    page.click("canvas.neuron.output")
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.startsWith('the perceptron')"
    )
    assert "after this sample: w = [" in text_of(page, "#formula-lines")  # the books' online rule
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / f"{preset}.glassnet"
    download.value.save_as(path)
    model = glassnet.load(path)
    book = TEXTBOOK_TABLES[preset]
    assert model.predict(np.array(book.X, dtype=float)).tolist() == list(book.targets)
    assert model.weights.tolist() == list(book.final_weights) and model.bias == book.final_bias
