"""The faults issue 19 found in the page, one test (or more) each, in a real browser."""

import time

import numpy as np
import pytest
from tests.playground.conftest import open_page, text_of

from glassnet.datasets import tutorial_002_weights
from glassnet.engine.perceptron import Perceptron
from glassnet.text import format_number

# Every control a person uses: visible form fields, buttons, and the canvases that take keys.
CONTROLS = """() => [...document.querySelectorAll(
    "input, select, button, canvas[tabindex], a[href]")].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    })"""


# ---------------------------------------------------------------------- 1. a phone's screen
def test_on_a_phone_nothing_is_wider_than_the_screen_and_every_control_is_reachable(page, base_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, base_url + "?dataset=spirals&layers=8,8,6,6,4,4&features=x1,x2,x1x2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The header's counters stay on the header's dark background, white and readable.
    for selector in ("#epoch", "#frame-ms"):
        found = page.evaluate(
            """(selector) => {
                const el = document.querySelector(selector);
                el.scrollIntoView({block: "center"});
                const box = el.getBoundingClientRect();
                const header = document.querySelector("header").getBoundingClientRect();
                const hit = document.elementFromPoint(box.left + box.width / 2,
                                                      box.top + box.height / 2);
                return {inside: box.left >= header.left && box.right <= header.right &&
                        box.top >= header.top && box.bottom <= header.bottom,
                        hit: el.contains(hit) || hit.contains(el),
                        colour: getComputedStyle(el).color};
            }""",
            selector,
        )
        assert found == {"inside": True, "hit": True, "colour": "rgb(255, 255, 255)"}, selector
    unreachable = page.evaluate(
        f"""() => ({CONTROLS})().filter((el) => {{
            el.scrollIntoView({{block: "center", inline: "center"}});
            const box = el.getBoundingClientRect();
            if (box.left < 0 || box.right > 390) return true;
            const hit = document.elementFromPoint(box.left + box.width / 2,
                                                  box.top + box.height / 2);
            // A checkbox's label, or a canvas's neighbour drawn over it, would say it is hidden.
            return !(el.contains(hit) || hit.contains(el) || (el.labels &&
                     [...el.labels].some((label) => label.contains(hit))));
        }}).map((el) => el.id || el.getAttribute("aria-label") || el.outerHTML.slice(0, 60))"""
    )
    assert unreachable == []
    assert page.evaluate(f"({CONTROLS})().length") > 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 3")
    page.click("#play")


# ---------------------------------------------------------------------- 2. live settings
def test_a_learning_rate_change_during_play_keeps_the_run_and_its_epoch_count(page, base_url):
    open_page(page, base_url + "?dataset=moons&layers=6&optimizer=sgd&lr=0.1")
    session = page.evaluate("window.playground.page.session")
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 20")
    before = page.evaluate("window.playground.page.state.epoch")
    page.fill("#lr", "0.5")
    page.dispatch_event("#lr", "change")
    page.wait_for_function("window.playground.page.journal.length === 1")
    page.wait_for_function(f"window.playground.page.state.epoch >= {before + 20}")
    assert text_of(page, "#play") == "Pause"  # still playing
    assert page.evaluate("window.playground.page.session") == session
    entry = page.evaluate("window.playground.page.journal[0]")
    assert entry["epoch"] >= before and entry["settings"]["lr"] == 0.5
    assert "lr=0.5" in page.url

    page.select_option("#optimizer", "adam")
    page.wait_for_function("window.playground.page.journal.length === 2")
    assert "a new optimizer starts with fresh moments" in text_of(page, "#message")
    page.select_option("#regularization", "l1")
    page.wait_for_function("window.playground.page.journal.length === 3")
    page.fill("#batch", "0")
    page.dispatch_event("#batch", "change")
    page.wait_for_function("window.playground.page.journal.length === 4")
    epoch = page.evaluate("window.playground.page.state.epoch")
    page.wait_for_function(f"window.playground.page.state.epoch >= {epoch + 10}")
    page.click("#play")
    assert page.evaluate("window.playground.page.session") == session
    assert page.evaluate("window.playground.page.journal[2].settings.regularization") == "l1"


# ---------------------------------------------------------------------- 3. a long history
def test_a_history_of_100000_epochs_draws_without_error(page, base_url):
    open_page(page, base_url)
    drawn = page.evaluate(
        """() => {
            const {recordLoss, drawLosses, page} = window.playground;
            page.history = {points: [], stride: 1};
            for (let epoch = 0; epoch <= 100000; epoch++) {
                recordLoss(epoch, 1 / (1 + epoch / 100), 1.2 / (1 + epoch / 120));
            }
            drawLosses();
            const canvas = document.getElementById("losses");
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                                canvas.height).data;
            let inked = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
            const points = page.history.points;
            return {count: points.length, first: points[0].epoch,
                    last: points[points.length - 1].epoch, inked};
        }"""
    )
    assert drawn["count"] <= 2000 and drawn["first"] == 0 and drawn["last"] == 100000
    assert drawn["inked"] > 500  # two lines and their labels


# ---------------------------------------------------------------------- 4. many sessions
def test_a_paused_tab_survives_100_sessions_made_in_another(page, browser, base_url, tmp_path):
    open_page(page, base_url + "?dataset=xor&layers=3")
    for _ in range(4):
        page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 4")
    session = page.evaluate("window.playground.page.session")
    other = browser.new_page()
    try:
        open_page(other, base_url + "?dataset=moons")
        made = other.evaluate(
            """async () => {
                const keys = new Set();
                for (let seed = 0; seed < 100; seed++) {
                    const response = await fetch("/api/session", {method: "POST",
                        body: JSON.stringify({dataset: "moons", points: 20, seed})});
                    keys.add((await response.json()).session);
                }
                return keys.size;
            }"""
        )
        assert made == 100
    finally:
        other.close()
    page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 5")
    assert page.evaluate("window.playground.page.session") == session  # not even rebuilt
    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename == "playground-xor-epoch5.glassnet"


def test_a_page_whose_session_went_rebuilds_it_to_the_last_digit(page, base_url, server):
    open_page(page, base_url + "?dataset=circles&layers=4&seed=5")
    for _ in range(3):
        page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 3")
    page.fill("#lr", "0.1")
    page.dispatch_event("#lr", "change")
    page.wait_for_function("window.playground.page.journal.length === 1")
    for _ in range(4):
        page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 7")
    weights = page.evaluate("window.playground.page.state.weights")
    old = page.evaluate("window.playground.page.session")
    with server.app.lock:
        server.app.sessions.clear()  # as if the server had let it go, or restarted
    page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 8")
    assert page.evaluate("window.playground.page.session") != old
    assert "rebuilt to epoch 7" in text_of(page, "#message")
    rebuilt = server.app.sessions[page.evaluate("window.playground.page.session")]
    assert rebuilt.journal[0]["settings"]["lr"] == 0.1 and rebuilt.journal[0]["epoch"] == 3
    # The rebuilt run at epoch 7 had the weights the page showed: one more step from them.
    again = page.evaluate(
        """async (weights) => {
            const start = window.playground.page.start;
            const body = {...start, replay: {epoch: 7, journal: window.playground.page.journal}};
            const response = await fetch("/api/session", {method: "POST",
                                                          body: JSON.stringify(body)});
            return (await response.json()).weights;
        }""",
        weights,
    )
    assert again == weights


# ---------------------------------------------------------------------- 5. a CSV's link
def test_a_link_from_a_csv_run_asks_for_the_file_and_never_loads_xor(page, base_url, tmp_path):
    link = base_url + "?dataset=csv&file=points.csv&upload=0123abcd&layers=3&seed=4"
    page.goto(link)
    page.wait_for_function("!document.getElementById('notice').hidden")
    assert "This link used the uploaded file points.csv" in text_of(page, "#notice")
    assert "upload it again" in text_of(page, "#notice")
    time.sleep(0.3)  # nothing else happens meanwhile: no run of another data set
    assert page.evaluate("window.playground.page.session") is None
    assert page.input_value("#dataset") == "csv" and page.input_value("#layers") == "3"
    csv_file = tmp_path / "points.csv"
    csv_file.write_text("a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(20)))
    page.set_input_files("#csv", str(csv_file))
    page.wait_for_function("window.playground.page.session !== null")
    assert page.evaluate("window.playground.page.state.weights[0][0].length") == 3
    assert page.is_hidden("#notice")
    page.click("#share")
    page.wait_for_function("document.getElementById('message').textContent.includes('Link')")
    message = text_of(page, "#message")
    assert "not the file points.csv" in message and "upload the file again" in message
    assert "rebuilds this run from its settings" not in message


# ---------------------------------------------------------------------- 6. answers out of order
def test_an_answer_that_comes_after_a_newer_one_is_dropped(page, base_url):
    open_page(page, base_url + "?dataset=moons&layers=2")
    page.evaluate(
        """() => {
            const original = window.fetch;
            window.fetch = async (url, options) => {
                const response = await original(url, options);
                if (options && String(options.body).includes('"layers":"16,16,16"')) {
                    await new Promise((resolve) => setTimeout(resolve, 1500));
                }
                return response;
            };
        }"""
    )
    page.fill("#layers", "16,16,16")
    page.dispatch_event("#layers", "change")
    page.fill("#layers", "3")
    page.dispatch_event("#layers", "change")
    page.wait_for_function("window.playground.page.state.weights.length === 2")
    time.sleep(2.0)  # the heavy run's answer has come by now, and was dropped
    shapes = page.evaluate("window.playground.page.state.weights.map((w) => w[0].length)")
    assert shapes == [3, 1]
    assert page.input_value("#layers") == "3" and "layers=3&" in page.url
    assert page.locator("canvas.neuron").count() == 2 + 3 + 1

    # Two steps at once, the answer to the first held back: the run's later state stays.
    epoch = page.evaluate(
        """async () => {
            const original = window.fetch;
            let held = false;
            window.fetch = async (url, options) => {
                const response = await original(url, options);
                if (String(url).endsWith("/api/step") && !held) {
                    held = true;
                    await new Promise((resolve) => setTimeout(resolve, 800));
                }
                return response;
            };
            const {stepOnce, page} = window.playground;
            await Promise.all([stepOnce(1), stepOnce(1)]);
            window.fetch = original;
            return page.state.epoch;
        }"""
    )
    assert epoch == 2


# ---------------------------------------------------------------------- 7. bad link values
def test_bad_link_values_are_named_as_written(page, base_url):
    open_page(page, base_url + "?dataset=nope&mode=bogus&points=0x10&lr=fast&hide=wings")
    notice = text_of(page, "#notice")
    assert "The link's dataset=nope is not one of and, or, nand" in notice
    assert "; using xor." in notice
    assert "The link's mode=bogus is not one of network, perceptron; using network." in notice
    assert "The link's points=0x10 is not a number; using 200." in notice
    assert "The link's lr=fast is not a number; using 0.03." in notice
    assert "The link hides wings, which the page does not have" in notice
    assert "got ''" not in notice
    assert page.input_value("#dataset") == "xor" and page.input_value("#points") == "200"
    page.goto(base_url + "?points=5000")
    page.wait_for_selector("#message.error")
    assert "points must be a whole number in [4, 2000], got 5000" in text_of(page, "#message")


# ---------------------------------------------------------------------- 8. the perceptron
def test_the_perceptrons_loss_chart_and_table_agree_epoch_by_epoch(page, base_url):
    open_page(page, base_url)
    page.select_option("#preset", "tutorial-002")
    page.wait_for_function("window.playground.page.state.perceptron !== undefined")
    for epoch, rmse in [(1, 0.5), (2, 0.5), (3, 0.0)]:
        page.click("#step")
        page.wait_for_function(f"window.playground.page.state.epoch === {epoch}")
        table = page.eval_on_selector_all(
            "#perceptron-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t'))"
        )
        assert table[-1][0] == str(epoch)
        assert float(table[-1][2]) == rmse  # the table's RMSE of this epoch
        assert float(text_of(page, "#train-loss")) == rmse  # the loss read beside it
        chart = page.evaluate("window.playground.page.history.points.at(-1)")
        assert chart["epoch"] == epoch and chart["train"] == rmse  # and the chart's last point
    assert page.is_visible("#metrics-note")


# ---------------------------------------------------------------------- 9. hover and focus
def test_the_hover_mark_goes_with_the_pointer_and_focus_differs_from_selection(page, base_url):
    open_page(page, base_url + "?dataset=xor&layers=3")
    x, y = page.evaluate(
        """() => {
            const line = window.playground.page.diagram.lines[0];
            const box = window.playground.page.diagram.canvas.getBoundingClientRect();
            return [box.left + (line.x1 + line.x2) / 2, box.top + (line.y1 + line.y2) / 2];
        }"""
    )
    page.mouse.move(x, y)
    page.wait_for_function("window.playground.page.diagram.hover !== null")
    page.mouse.move(5, 5)  # off the diagram
    page.wait_for_function("window.playground.page.diagram.hover === null")
    assert page.get_attribute("canvas.weights", "title") == ""

    page.click("canvas.neuron.hidden >> nth=0")
    page.wait_for_selector("canvas.neuron.selected")
    page.focus("canvas.neuron.hidden >> nth=0")
    page.keyboard.press("Tab")  # the keyboard moves focus to the next neuron
    styles = page.evaluate(
        """() => [...document.querySelectorAll("canvas.neuron.hidden")].slice(0, 2).map((el) => {
            const style = getComputedStyle(el);
            return {shadow: style.boxShadow, outline: style.outlineStyle,
                    colour: style.outlineColor, focused: el === document.activeElement};
        })"""
    )
    selected, focused = styles
    assert focused["focused"] and not selected["focused"]
    assert "3px" in selected["shadow"] and selected["outline"] == "none"
    assert focused["outline"] == "solid" and focused["colour"] == "rgb(26, 95, 208)"
    assert focused["shadow"] == "none"


# ---------------------------------------------------------------------- 10. accessibility
def test_a_weight_and_a_sample_are_chosen_with_the_keyboard_only(page, base_url):
    open_page(page, base_url + "?dataset=xor&layers=2")
    page.focus("#reset")
    for _ in range(60):  # Tab until the diagram has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('weights')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('role')") == "slider"
    page.keyboard.press("ArrowRight")  # the second weight into neuron 1: W[1]_21
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.startsWith('weight W[1]_21')"
    )
    assert page.get_attribute("canvas.weights", "aria-valuetext").startswith("W[1]_21 = ")
    page.keyboard.press("ArrowRight")  # then its bias
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.startsWith('bias b[1]_1')"
    )
    for _ in range(40):  # on to the picture of the points
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "regions":
            break
    page.keyboard.press("ArrowRight")
    page.wait_for_function("window.playground.page.sample.index === 1")
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.endsWith('train sample 1')"
    )
    page.keyboard.press("End")
    page.wait_for_function("window.playground.page.sample.split === 'test'")
    assert page.get_attribute("#regions", "aria-valuetext").startswith("test sample ")


def test_the_canvases_are_in_the_accessibility_tree(page, base_url):
    open_page(page, base_url + "?dataset=xor&layers=2")
    tree = page.locator("body").aria_snapshot()
    assert 'slider "decision regions and points; arrow keys choose a sample"' in tree
    assert 'slider "the weights and biases: arrow keys choose one"' in tree
    assert 'img "training and test loss by epoch"' in tree or 'img "loss by epoch' in tree
    assert 'button "hidden neuron 1 of layer 1: its formula"' in tree
    assert 'img "input x1"' in tree


def test_the_formula_panel_does_not_flood_a_screen_reader(page, base_url):
    open_page(page, base_url + "?dataset=xor&layers=2")
    live = page.evaluate(
        """() => [...document.querySelectorAll("[aria-live]")].map((el) => el.id)"""
    )
    assert live == ["formula-announce"]  # the panel itself is not live
    page.click("canvas.neuron.hidden >> nth=0")
    page.wait_for_function("document.getElementById('formula-announce').textContent !== ''")
    announced = text_of(page, "#formula-announce")
    lines = text_of(page, "#formula-lines")
    page.click("#play")
    page.wait_for_function(
        f"document.getElementById('formula-lines').textContent !== {lines!r}", timeout=20_000
    )
    page.click("#play")
    assert text_of(page, "#formula-announce") == announced  # refreshes are not announced


def contrast_failures(page):
    """Text whose contrast with its background is below 4.5:1 (disabled controls exempt)."""
    return page.evaluate(
        """() => {
            const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 :
                                     ((c + 0.055) / 1.055) ** 2.4; };
            const luminance = ([r, g, b]) =>
                0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
            const parse = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
            const background = (el) => {
                for (; el; el = el.parentElement) {
                    const [r, g, b, a = 1] = parse(getComputedStyle(el).backgroundColor);
                    if (a > 0.5) return [r, g, b];
                }
                return [255, 255, 255];
            };
            const failures = [];
            for (const el of document.querySelectorAll("body *")) {
                const own = [...el.childNodes].some((n) => n.nodeType === 3 &&
                                                         n.textContent.trim());
                const box = el.getBoundingClientRect();
                if (!own || !box.width || el.closest("[hidden], .classroom-hidden")) continue;
                if (el.disabled || el.closest("label")?.querySelector(":disabled")) continue;
                const [L1, L2] = [luminance(parse(getComputedStyle(el).color)),
                                  luminance(background(el))];
                const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
                if (ratio < 4.5) failures.push(`${el.tagName} ${el.textContent.trim()
                    .slice(0, 30)} ${ratio.toFixed(2)}`);
            }
            return failures;
        }"""
    )


def test_every_text_has_a_contrast_of_at_least_4_5(page, base_url):
    open_page(page, base_url + "?lesson=xor")
    page.click("canvas.neuron.output")
    page.wait_for_function("document.getElementById('formula-title').textContent !== 'Formula'")
    assert contrast_failures(page) == []
    page.goto(base_url)
    page.wait_for_function("window.playground && window.playground.page.session !== null")
    page.select_option("#preset", "tutorial-002")
    page.wait_for_function("window.playground.page.state.perceptron !== undefined")
    page.click("#step")
    page.wait_for_selector("#perceptron-table tbody tr")
    assert contrast_failures(page) == []


# ---------------------------------------------------------------------- 11. the smaller ones
def test_the_diagram_follows_a_resize_while_paused(page, base_url):
    open_page(page, base_url + "?dataset=xor&layers=4")
    page.set_viewport_size({"width": 1800, "height": 900})
    page.wait_for_function(
        "window.playground.page.diagram.canvas.clientWidth === "
        "document.getElementById('network').clientWidth"
    )
    assert page.evaluate("document.getElementById('network').clientWidth") > 700
    assert not page.evaluate("window.playground.page.playing")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function(
        "window.playground.page.diagram.canvas.clientWidth === "
        "document.getElementById('network').clientWidth"
    )


def test_a_semicolon_csv_trains_and_the_page_says_how_it_was_read(page, base_url, tmp_path):
    open_page(page, base_url)
    semicolons = tmp_path / "semi.csv"
    rows = "".join(f"{i % 4};{i % 3};{i % 2}\n" for i in range(12))
    semicolons.write_text("a;b;y\n" + rows)
    page.set_input_files("#csv", str(semicolons))
    page.wait_for_selector("#message.info")
    message = text_of(page, "#message")
    assert "semi.csv: 12 rows, classification" in message
    assert "separated by semicolons" in message
    page.wait_for_function("window.playground.page.data.inputs.length === 2")


def test_legends_name_the_loss_lines_the_classes_and_the_scales(page, base_url):
    open_page(page, base_url + "?dataset=blobs&layers=3")
    legends = page.inner_text("#output")
    assert "training loss" in legends and "test loss" in legends
    assert "class 0" in legends and "class 1" in legends and "class 2" in legends
    assert "neuron maps" in legends
    page.select_option("#dataset", "gauss")
    page.wait_for_function("window.playground.page.data.task === 'regression'")
    legend = text_of(page, "#colour-legend")
    assert legend.startswith("y ") and " to " in legend


def test_with_three_classes_the_neuron_maps_take_no_class_colour(page, base_url):
    open_page(page, base_url + "?dataset=blobs&layers=3")
    colours = page.evaluate(
        """() => {
            const canvas = document.querySelector("canvas.neuron.hidden");
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                              canvas.height).data;
            let grey = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (data[i] === data[i + 1] && data[i + 1] === data[i + 2]) grey++;
            }
            return grey / (data.length / 4);
        }"""
    )
    assert colours == 1.0
    page.select_option("#dataset", "moons")  # two classes: the maps take the classes' scale
    page.wait_for_function("window.playground.page.data.classes.length === 2")
    assert "neuron maps" in text_of(page, "#colour-legend")


def test_every_number_of_the_perceptron_table_is_written_alike(page, base_url):
    open_page(page, base_url + "?mode=perceptron&dataset=and&points=4&noise=0&split=1&seed=42"
              "&lr=0.1&bias=true")  # fmt: skip
    for epoch in range(1, 5):
        page.click("#step")
        page.wait_for_function(f"window.playground.page.state.epoch === {epoch}")
    rows = page.eval_on_selector_all(
        "#perceptron-table tbody tr", "rows => rows.map(r => r.innerText.split('\\t'))"
    )
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    start = tutorial_002_weights(42)
    perceptron = Perceptron(2, learning_rate=0.1, weights=start, bias=0.0)
    perceptron.fit(X, [0, 0, 0, 1], max_epochs=200)
    assert rows[0] == ["start", "", "", *[format_number(float(v), digits=8) for v in start], "0"]
    for row, record in zip(rows[1:], perceptron.epochs_, strict=False):
        after = [*record.weights, record.bias]
        assert row[-3:] == [format_number(float(v), digits=8) for v in after]
        assert row[2] == format_number(record.rmse, digits=8)  # epoch, errors, RMSE, w1, w2, b
    assert len(rows) == 5


@pytest.mark.parametrize("dataset", ["xor", "sine"])
def test_points_and_noise_are_editable_except_for_a_csv(page, base_url, dataset):
    open_page(page, base_url + f"?dataset={dataset}")
    assert not page.is_disabled("#points") and not page.is_disabled("#noise")
