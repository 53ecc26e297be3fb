"""The playground in a real headless Chromium (Debian's package, driven by Playwright).

Skipped when /usr/bin/chromium or Playwright is missing; Playwright's own browser download
is never used.
"""

import os
import re
import tempfile
import threading

import pytest

import glassnet
from glassnet.playground.server import make_server

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing")
sync_api = pytest.importorskip("playwright.sync_api")

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url():
    server = make_server(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with tempfile.TemporaryDirectory() as profile, sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 940},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []  # no script error on the page, whatever the test did


def open_page(page, url):
    page.goto(url)
    page.wait_for_function("window.playground && window.playground.page.session !== null")


def test_xor_trains_a_neuron_explains_itself_and_a_csv_uploads(page, base_url, tmp_path):
    open_page(page, base_url + "?dataset=moons")
    page.select_option("#dataset", "xor")
    page.wait_for_function("window.playground.page.data.bounds[0][1] < 2")  # XOR's corners
    assert "dataset=xor" in page.url

    page.click("#play")
    page.wait_for_function(
        "Number(document.getElementById('test-accuracy').textContent) >= 0.95", timeout=60_000
    )
    page.click("#play")  # pause
    assert page.inner_text("#play") == "Play"
    assert float(page.inner_text("#frame-ms")) > 0
    print(
        f"\nplayground frame (step + redraw, 2-4-1, 100 points): {page.inner_text('#frame-ms')} ms"
    )

    page.click("canvas.neuron.hidden >> nth=0")
    page.wait_for_function("document.getElementById('formula-lines').textContent.includes('tanh')")
    title = page.inner_text("#formula-title")
    lines = page.inner_text("#formula-lines")
    assert title.startswith("neuron 1 of layer 1 (hidden)")
    assert "z[1]_1 = sum over i of W[1]_i1 * x_i + b[1]_1" in lines
    assert re.search(r"a\[1\]_1 = tanh\(z\) = -?[\d.]+", lines)
    assert re.search(r"delta\[1\]_1 = dE/da\[1\]_1 \* da\[1\]_1/dz\[1\]_1 = .* = -?[\d.]", lines)

    # Clicking near a point selects that sample for the formula panel.
    x, y = page.evaluate(
        """() => {
            const {data} = window.playground.page;
            const box = document.getElementById("regions").getBoundingClientRect();
            const [[x0, x1], [y0, y1]] = data.bounds;
            const [x, y] = data.test.x[7];
            return [box.left + (x - x0) / (x1 - x0) * box.width,
                    box.top + (1 - (y - y0) / (y1 - y0)) * box.height];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_function("window.playground.page.sample.split === 'test'")
    index = page.evaluate("window.playground.page.sample.index")
    page.wait_for_function(
        f"document.getElementById('formula-title').textContent.endsWith('test sample {index}')"
    )
    assert page.inner_text("#sample-label") == f"selected: test sample {index}"

    # A weight is picked by clicking its line, here a fifth of the way from its input.
    x, y = page.evaluate(
        """() => {
            const line = window.playground.page.diagram.lines[1];
            const box = window.playground.page.diagram.canvas.getBoundingClientRect();
            return [box.left + line.x1 + 0.2 * (line.x2 - line.x1),
                    box.top + line.y1 + 0.2 * (line.y2 - line.y1)];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.startsWith('weight W[1]_12')"
    )
    assert "dE/dW[1]_12 = x_1 * delta[1]_2" in page.inner_text("#formula-lines")
    assert page.get_attribute("canvas.weights", "title").startswith("W[1]_12 = ")

    page.focus("canvas.neuron.output")  # the keyboard reaches the neurons too
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.includes('(output)')"
    )
    assert "(sigmoid with binary_crossentropy)" in page.inner_text("#formula-lines")

    csv_file = tmp_path / "points.csv"
    rows = [f"{i % 9},{i % 4},{'yes' if i % 9 > 2 * (i % 4) else 'no'}" for i in range(60)]
    csv_file.write_text("width,height,fits\n" + "\n".join(rows) + "\n")
    page.set_input_files("#csv", str(csv_file))
    page.wait_for_function("window.playground.page.data.target === 'fits'")
    assert page.input_value("#dataset") == "csv"
    assert "points.csv: 60 rows, classification (classes no, yes)" in page.inner_text("#message")
    assert page.get_attribute("canvas.neuron >> nth=0", "title") == "width"

    page.screenshot(path=str(tmp_path / "playground.png"))
    assert (tmp_path / "playground.png").stat().st_size > 20_000


def test_bad_input_is_explained_on_the_page(page, base_url, tmp_path):
    open_page(page, base_url)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,0\n3,four,1\n")
    page.set_input_files("#csv", str(bad))
    page.wait_for_selector("#message.error")
    assert "bad.csv: row 3, column 'b': 'four' is not a number" in page.inner_text("#message")

    one_class = tmp_path / "one.csv"
    one_class.write_text("a,b,y\n1,2,1\n3,4,1\n")
    page.set_input_files("#csv", str(one_class))
    page.wait_for_function("document.getElementById('message').textContent.includes('single')")

    first_column = tmp_path / "first.csv"
    first_column.write_text("kind,x,y\ncat,1,2\ndog,3,4\ncat,5,6\n")
    page.set_input_files("#csv", str(first_column))
    page.wait_for_function("document.getElementById('message').textContent.includes('cat')")
    assert "column 'kind': 'cat' is not a number" in page.inner_text("#message")
    page.fill("#target", "kind")
    page.dispatch_event("#target", "change")
    page.wait_for_function("window.playground.page.data.target === 'kind'")
    assert "first.csv: 3 rows, classification (classes cat, dog)" in page.inner_text("#message")

    huge = tmp_path / "huge.csv"
    huge.write_text("a,b,y\n" + "1.5,2.5,0\n" * 300_000)
    page.set_input_files("#csv", str(huge))
    page.wait_for_function("document.getElementById('message').textContent.includes('huge')")
    assert "huge.csv is 3.0 MB; the playground takes CSV files up to 2 MB" in page.inner_text(
        "#message"
    )

    page.fill("#lr", "1e6")
    page.dispatch_event("#lr", "change")
    page.wait_for_function(
        "document.getElementById('message').textContent.includes('learning rate')"
    )
    assert "learning rate must be a number in (0, 10]" in page.inner_text("#message")


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


def test_changing_the_network_while_it_plays(page, base_url):
    open_page(page, base_url + "?dataset=circles&layers=4")
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 3")
    page.fill("#layers", "3,2")
    page.dispatch_event("#layers", "change")  # resets, and pauses, mid-flight
    page.wait_for_function("window.playground.page.state.weights.length === 3")
    assert page.inner_text("#play") == "Play"
    assert page.evaluate("window.playground.page.state.epoch") == 0
    assert page.locator("canvas.neuron").count() == 2 + 3 + 2 + 1
    assert "layers=3%2C2" in page.url


def test_perceptron_mode_shows_the_epoch_table_of_tutorial_002(page, base_url, tmp_path):
    open_page(
        page, base_url + "?mode=perceptron&dataset=or&points=4&noise=0&split=1&seed=42&lr=0.1"
    )
    assert page.is_hidden("#layers")
    for _ in range(3):
        page.click("#step")
    page.wait_for_function("document.querySelectorAll('#perceptron-table tbody tr').length === 3")
    rows = page.eval_on_selector_all(
        "#perceptron-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t'))"
    )
    assert rows[0][:3] == ["1", "0.49671415", "-0.038264301"]
    assert rows[1][:3] == ["2", "0.49671415", "0.061735699"]
    assert [row[-1] for row in rows] == ["0.500", "0.500", "0.000"]
    page.wait_for_function(
        "document.getElementById('perceptron-table').textContent.includes('converged at epoch 3')"
    )

    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "or.glassnet"
    download.value.save_as(path)
    perceptron = glassnet.load(path)
    assert perceptron.weights.tolist() == pytest.approx([0.49671415, 0.0617357])


def test_the_frame_time_of_a_2_8_8_1_network_on_500_points(page, base_url):
    open_page(page, base_url + "?dataset=xor&points=500&split=1&layers=8,8&batch=10")
    timings = page.evaluate(
        """async () => {
            const times = [];
            for (let i = 0; i < 40; i++) {
                const start = performance.now();
                await window.playground.stepOnce(1);
                times.push(performance.now() - start);
            }
            times.sort((a, b) => a - b);
            return {median: times[20], worst: times[39]};
        }"""
    )
    assert page.evaluate("window.playground.page.state.epoch") == 40
    assert timings["median"] > 0
    print(
        f"\nplayground frame (step + redraw, 2-8-8-1, 500 points): median "
        f"{timings['median']:.1f} ms, worst {timings['worst']:.1f} ms"
    )
