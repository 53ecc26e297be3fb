"""What the page gained past TensorFlow Playground's, in a real browser: feature crosses,
regression planes, the test-data and discretise toggles, a neuron's map in the big panel,
weights and biases set by hand, the +/- buttons, the classroom, every data set, and the
textbook perceptron's controls (rule, threshold, output at zero, Fausett's band)."""

import time
from urllib.parse import parse_qsl, urlparse

import pytest
from tests.playground.conftest import open_page, text_of

import glassnet
from glassnet.playground.perceptron import PerceptronRun
from glassnet.playground.settings import DATASETS, Settings


def canvas_colours(page, selector):
    """How many distinct colours a canvas's pixels take."""
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                              canvas.height).data;
            const seen = new Set();
            for (let i = 0; i < data.length; i += 4) {
                seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
            }
            return seen.size;
        }""",
        selector,
    )


def two_colour_share(page):
    """The share of the regions' pixels painted in its two commonest colours."""
    return page.evaluate(
        """() => {
            const canvas = document.getElementById("regions");
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                              canvas.height).data;
            const counts = new Map();
            for (let i = 0; i < data.length; i += 4) {
                const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
                counts.set(key, (counts.get(key) || 0) + 1);
            }
            const top = [...counts.values()].sort((a, b) => b - a);
            return (top[0] + top[1]) / (data.length / 4);
        }"""
    )


def test_a_feature_cross_is_an_input_neuron_and_learns_xor_without_a_hidden_layer(page, base_url):
    open_page(page, base_url + "?dataset=xor&layers=&features=x1,x2")
    assert page.locator("canvas.neuron").count() == 3
    page.check("#features input[value=x1x2]")
    page.wait_for_function("window.playground.page.data.inputs.length === 3")
    labels = page.eval_on_selector_all("canvas.neuron", "c => c.map(e => e.title)")
    assert labels == ["input x1", "input x2", "input x1*x2", "output neuron 1 of layer 1"]
    assert "features=x1%2Cx2%2Cx1x2" in page.url
    page.click("#play")
    page.wait_for_function(
        "Number(document.getElementById('test-accuracy').textContent) >= 0.95", timeout=60_000
    )
    page.click("#play")
    page.click("canvas.neuron.output")
    page.wait_for_function(
        "document.getElementById('formula-lines').textContent.includes('the inputs:')"
    )
    assert "the inputs: x_1 = x1, x_2 = x2, x_3 = x1*x2" in text_of(page, "#formula-lines")


@pytest.mark.parametrize("dataset", ["plane", "gauss"])
def test_the_regression_planes_train_and_draw_their_scale(page, base_url, dataset):
    open_page(page, base_url + f"?dataset={dataset}&layers=6&lr=0.03")
    assert page.evaluate("window.playground.page.data.task") == "regression"
    first = float(text_of(page, "#train-loss"))
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 60", timeout=60_000)
    page.click("#play")
    assert float(text_of(page, "#train-loss")) < first
    assert text_of(page, "#train-accuracy") == "-"
    assert canvas_colours(page, "#regions") > 50  # a smooth map of values


def test_the_test_data_and_discretise_toggles(page, base_url):
    open_page(page, base_url + "?dataset=moons&layers=4")
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 30")
    page.click("#play")
    assert two_colour_share(page) < 0.5  # shades of confidence
    page.check("#discretize")
    page.wait_for_function("location.search.includes('discretize=1')")
    assert two_colour_share(page) > 0.85  # one colour per class: all but the points
    page.uncheck("#show-test")
    page.wait_for_function("location.search.includes('test=0')")
    assert page.get_attribute("#regions", "aria-valuemax") == str(
        len(page.evaluate("window.playground.page.data.train.x")) - 1
    )
    page.focus("#regions")
    page.keyboard.press("End")  # the keyboard's samples end with the training points now
    assert page.evaluate("window.playground.page.sample.split") == "train"
    page.reload()
    page.wait_for_function("window.playground && window.playground.page.session !== null")
    assert not page.is_checked("#show-test") and page.is_checked("#discretize")


def test_hovering_a_neuron_shows_its_map_in_the_output_panel(page, base_url):
    open_page(page, base_url + "?dataset=circles&layers=3")
    page.hover("canvas.neuron.hidden >> nth=1")
    page.wait_for_function(
        "document.getElementById('output-title').textContent === "
        "'Output: showing neuron 2 of layer 1'"
    )
    assert "neuron maps" not in text_of(page, "#colour-legend")  # its own scale instead
    page.hover("canvas.neuron >> nth=0")
    page.wait_for_function(
        "document.getElementById('output-title').textContent === 'Output: showing input x1'"
    )
    page.mouse.move(3, 3)
    page.wait_for_function("document.getElementById('output-title').textContent === 'Output'")


def test_a_weight_typed_by_hand_is_where_the_run_goes_on_from(page, base_url, server):
    open_page(page, base_url + "?dataset=xor&layers=2")
    for _ in range(3):
        page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 3")
    page.focus("canvas.weights")
    page.keyboard.press("ArrowRight")  # W[1]_21
    page.wait_for_selector("#editor:not([hidden])")
    assert text_of(page, "#edit-label") == "W[1]_21 ="
    page.fill("#edit-value", "1.5")
    page.press("#edit-value", "Enter")
    page.wait_for_function("window.playground.page.state.weights[0][1][0] === 1.5")
    assert "W[1]_21 set to 1.5 at epoch 3" in text_of(page, "#message")
    session = server.app.sessions[page.evaluate("window.playground.page.session")]
    assert session.network.dense_layers[0].weights[1, 0] == 1.5
    assert session.journal[-1] == {"epoch": 3, "edit": {"layer": 1, "neuron": 0, "source": 1,
                                                        "value": 1.5}}  # fmt: skip
    page.click("#step")
    page.wait_for_function("window.playground.page.state.epoch === 4")  # on from there

    bias = page.evaluate(
        """() => {
            const {diagram} = window.playground.page;
            const square = diagram.biases[1];
            const box = diagram.canvas.getBoundingClientRect();
            return [box.left + square.x + square.size / 2, box.top + square.y + square.size / 2];
        }"""
    )
    page.mouse.click(*bias)
    page.wait_for_function(
        "document.getElementById('formula-title').textContent.startsWith('bias b[1]_2')"
    )
    page.fill("#edit-value", "-0.75")
    page.click("#editor button")
    page.wait_for_function("window.playground.page.state.biases[0][1] === -0.75")
    page.fill("#edit-value", "lots")
    page.press("#edit-value", "Enter")
    page.wait_for_selector("#message.error")
    assert "type a number for b[1]_2, like 0.5 or -1.2; got 'lots'" in text_of(page, "#message")


def test_biases_are_drawn_one_per_neuron(page, base_url):
    open_page(page, base_url + "?dataset=moons&layers=4,3")
    assert page.evaluate("window.playground.page.diagram.biases.length") == 4 + 3 + 1
    open_page(page, base_url + "?mode=perceptron&dataset=or")  # no bias: none drawn
    assert page.evaluate("window.playground.page.diagram.biases.length") == 0


def test_the_plus_and_minus_buttons_change_layers_and_neurons(page, base_url):
    open_page(page, base_url + "?dataset=moons&layers=3")
    page.click("button[aria-label='add a neuron to layer 1']")
    page.wait_for_function("window.playground.page.state.weights[0][0].length === 4")
    page.click("#layers-more")
    page.wait_for_function("window.playground.page.state.weights.length === 3")
    assert page.input_value("#layers") == "4,4"
    assert text_of(page, "#layers-count") == "2 hidden layers"
    page.click("button[aria-label='remove a neuron from layer 2']")
    page.wait_for_function("window.playground.page.state.weights[1][0].length === 3")
    page.click("#layers-less")
    page.click("#layers-less")
    page.wait_for_function("window.playground.page.state.weights.length === 1")
    assert page.input_value("#layers") == "" and text_of(page, "#layers-count") == "0 hidden layers"


def test_a_classroom_link_hides_controls_and_shows_its_lesson(page, base_url):
    open_page(page, base_url + "?hide=optimizer,loss&lesson=xor")
    assert page.is_hidden("#optimizer") and page.is_hidden("#loss")
    assert page.is_visible("#lr") and page.is_visible("#regularization")  # only those named
    assert text_of(page, "#lesson-title") == "Why XOR needs a hidden layer"
    assert page.locator("#lesson-text p").count() == 4
    assert page.input_value("#layers") == ""  # the lesson's own start: no hidden layer
    assert "lesson=xor" in page.url and "hide=optimizer%2Closs" in page.url
    page.click("#layers-more")  # the lesson's next step: add a hidden layer
    page.wait_for_function("window.playground.page.state.weights.length === 2")
    assert "lesson=xor" in page.url  # the classroom stays with the run


@pytest.mark.parametrize("lesson", ["xor", "learning-rate", "overfitting", "features"])
def test_every_lesson_opens_with_its_own_hidden_controls(page, base_url, server, lesson):
    open_page(page, base_url + f"?lesson={lesson}")
    lessons = server.app.options()["lessons"]
    assert text_of(page, "#lesson-title") == lessons[lesson]["title"]
    for control in lessons[lesson]["hide"]:
        assert page.evaluate(
            f"""[...document.querySelectorAll("[data-control='{control}']")]
                .every((el) => el.offsetParent === null)"""
        ), control
    page.click("#play")
    page.wait_for_function("window.playground.page.state.epoch >= 5")
    page.click("#play")


def test_every_data_set_trains_without_a_console_error_and_its_frame_rate(page, base_url):
    rates = {}
    for dataset in DATASETS:
        open_page(page, base_url + f"?dataset={dataset}")
        page.click("#play")
        page.wait_for_function("window.playground.page.state.epoch >= 5")
        start, began = page.evaluate("window.playground.page.state.epoch"), time.perf_counter()
        time.sleep(1.5)
        end, ended = page.evaluate("window.playground.page.state.epoch"), time.perf_counter()
        page.click("#play")
        rates[dataset] = (end - start) / (ended - began)
        assert end > start, dataset
    assert page.errors == []  # not even a failed request
    print("\nupdates a second during Play (1280 x 800, default settings): " +
          ", ".join(f"{name} {rate:.0f}" for name, rate in rates.items()))  # fmt: skip


def settings_in_url(page):
    """The settings the page's URL carries, as Settings.parse reads them."""
    return dict(parse_qsl(urlparse(page.url).query))


def step_to_the_end(page, epochs):
    for epoch in range(1, epochs + 1):
        page.click("#step")
        page.wait_for_function(f"window.playground.page.state.epoch === {epoch}")


def test_the_textbook_perceptron_controls_reach_the_run(page, base_url, tmp_path):
    open_page(page, base_url + "?mode=perceptron&dataset=and&bias=true&lr=0.1")
    assert page.input_value("#rule") == "rosenblatt" and page.is_disabled("#band")
    # Typed, then Tab: the browser's own change event, once (a dispatched one would come
    # again when the field loses focus, starting a third run under the Step button).
    page.fill("#threshold", "0.2")
    page.press("#threshold", "Tab")
    page.select_option("#step_at_zero", "1")
    # Two changes, two new runs: wait for the run that has both (its rule says z >= 0).
    page.wait_for_function("window.playground.page.state.perceptron.threshold === 0.2 && "
                           "window.playground.page.state.perceptron.output_rule"
                           ".includes('z >= 0')")  # fmt: skip
    assert "threshold=0.2" in page.url
    # The server's own run of the settings the URL holds is the one the page replays.
    run = PerceptronRun.create(Settings.parse(settings_in_url(page)))
    assert (run.perceptron.threshold, run.perceptron.step_at_zero) == (0.2, 1)
    step_to_the_end(page, run.epochs)
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "and.glassnet"
    download.value.save_as(path)
    model = glassnet.load(path)
    assert (model.threshold, model.step_at_zero, model.rule) == (0.2, 1, "rosenblatt")
    assert model.weights.tolist() == run.perceptron.weights.tolist()
    assert model.bias == run.perceptron.bias


def test_fausetts_rule_takes_a_band_and_gives_up_the_step_at_zero(page, base_url):
    open_page(page, base_url + "?mode=perceptron&dataset=or&bias=true&step_at_zero=1&lr=1")
    assert page.input_value("#step_at_zero") == "1" and page.is_enabled("#step_at_zero")
    page.select_option("#rule", "fausett")
    page.wait_for_function("location.search.includes('rule=fausett')")
    assert page.is_disabled("#step_at_zero") and page.input_value("#step_at_zero") == "0"
    assert "undecided band" in page.get_attribute("#step_at_zero", "title")
    assert page.is_enabled("#band")
    page.fill("#band", "0.2")
    page.press("#band", "Tab")
    page.wait_for_function("window.playground.page.state.perceptron.band === 0.2")
    assert "step_at_zero=0" in page.url and "band=0.2" in page.url
    assert "-1" in page.inner_text("#perceptron-table")  # Fausett's bipolar targets
    page.select_option("#rule", "rosenblatt")  # back: the band goes, the step comes back
    page.wait_for_function("location.search.includes('rule=rosenblatt')")
    assert page.is_disabled("#band") and page.input_value("#band") == "0"
    assert "band=0&" in page.url + "&" and page.is_enabled("#step_at_zero")


def test_a_book_greys_out_the_rule_controls_and_gives_their_titles_back(page, base_url):
    open_page(page, base_url + "?mode=perceptron&dataset=and")
    own = page.get_attribute("#threshold", "title")
    assert "never learned" in own
    page.select_option("#book", "negnevitsky-and")
    page.wait_for_function("location.search.includes('book=negnevitsky-and')")
    for control in ("#rule", "#threshold", "#step_at_zero", "#band"):
        assert page.is_disabled(control), control
        assert page.get_attribute(control, "title") == "set by the book's table"
    page.select_option("#book", "")
    page.wait_for_function("!location.search.includes('book=negnevitsky')")
    assert page.is_enabled("#threshold") and page.get_attribute("#threshold", "title") == own


def test_a_link_with_an_unknown_rule_is_named_and_the_default_kept(page, base_url):
    open_page(page, base_url + "?mode=perceptron&dataset=and&rule=widrow&threshold=abc")
    notice = text_of(page, "#notice-text")
    assert "rule=widrow is not one of rosenblatt, fausett" in notice
    assert "threshold=abc is not a number" in notice
    assert page.input_value("#rule") == "rosenblatt"
