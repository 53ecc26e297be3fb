"""The playground's settings: what the page may send, and the one-line refusals of the rest."""

import doctest
from http import HTTPStatus

import pytest

import glassnet.playground.settings as settings_module
from glassnet.engine.validation import check_integer
from glassnet.playground.settings import BadRequest, Settings, as_bad_request


def test_an_absurd_learning_rate_is_refused_with_a_message(api):
    api.assert_bad(api.post("/api/session", {"lr": 1e6}), 400,
                   "learning rate must be a number in (0, 10]", "usually works")  # fmt: skip
    api.assert_bad(api.post("/api/session", {"lr": "fast"}), 400, "learning rate", "number")
    api.assert_bad(api.post("/api/session", {"lr": 0}), 400, "learning rate", "(0, 10]")


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"dataset": "mnist"}, ["dataset must be one of", "got 'mnist'"]),
        ({"layers": "8,x"}, ["layers must be neuron counts"]),
        ({"layers": "99"}, ["1 to 16 neurons"]),
        ({"layers": "4,4", "activations": "tanh,relu,relu"}, ["one per hidden layer"]),
        ({"activations": "softmax"}, ["activation must be one of", "got 'softmax'"]),
        ({"points": 10**6}, ["points must be a whole number in [4, 2000]"]),
        ({"points": 10.5}, ["whole number"]),
        ({"noise": "loud"}, ["noise expected a number"]),
        ({"split": 0}, ["training share"]),
        ({"optimizer": "lbfgs"}, ["optimizer must be one of"]),
        ({"l2": -1}, ["L2"]),
        ({"mode": "magic"}, ["mode must be one of"]),
    ],
)
def test_bad_settings_get_a_400_naming_the_setting(api, settings, words):
    api.assert_bad(api.post("/api/session", settings), 400, *words)


def test_settings_parse_strings_as_the_url_carries_them():
    settings = Settings.parse({"layers": "8, 8", "activations": "relu", "lr": "0.1",
                               "bias": "true", "seed": "12"})  # fmt: skip
    assert settings.layers == (8, 8) and settings.activations == ("relu", "relu")
    assert settings.lr == 0.1 and settings.bias is True and settings.seed == 12


def test_whole_numbers_may_come_as_text_or_as_floats():
    assert Settings.parse({"points": "12", "batch": 5.0, "seed": "7.0"}).points == 12
    assert Settings.parse({"points": 12.0}).points == 12
    with pytest.raises(BadRequest, match="points must be a whole number"):
        Settings.parse({"points": "12.5"})


def test_settings_must_be_an_object():
    with pytest.raises(BadRequest, match="JSON object"):
        Settings.parse(["xor"])


def test_a_bad_request_inside_keeps_its_own_status():
    with pytest.raises(BadRequest) as caught, as_bad_request():
        raise BadRequest("gone", HTTPStatus.NOT_FOUND)
    assert caught.value.status == 404
    with pytest.raises(BadRequest) as caught, as_bad_request():
        check_integer("epochs", 0, low=1)
    assert caught.value.status == 400 and str(caught.value).startswith("epochs must be")


def test_docstring_examples():
    result = doctest.testmod(settings_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 4


def test_feature_crosses_are_read_in_their_own_order_and_checked():
    assert Settings.parse({"features": "x1x2, x1, sinx2"}).features == ("x1", "x1x2", "sinx2")
    assert Settings.parse({"features": ["x2sq"]}).features == ("x2sq",)
    with pytest.raises(BadRequest, match="feature must be one of 'x1', 'x2', .*, got 'x3'"):
        Settings.parse({"features": "x1,x3"})
    with pytest.raises(BadRequest, match="features: choose at least one input"):
        Settings.parse({"features": ""})


def test_regularisation_is_a_kind_and_a_strength_and_an_old_l2_link_still_reads():
    l1 = Settings.parse({"regularization": "L1", "strength": "0.01"})
    assert (l1.l1, l1.l2) == (0.01, 0.0)
    assert Settings.parse({"l2": "0.003"}) == Settings(regularization="l2", strength=0.003)
    assert Settings.parse({"l2": "0"}).regularization == "none"
    with pytest.raises(BadRequest, match="regularization must be one of 'none', 'l1', 'l2'"):
        Settings.parse({"regularization": "l3"})
    with pytest.raises(BadRequest, match=r"regularization strength must be a number in \[0, 1\]"):
        Settings.parse({"regularization": "l2", "strength": 2})


def test_the_live_keys_and_what_changed():
    assert set(settings_module.LIVE) == {"lr", "optimizer", "batch", "regularization", "strength"}
    assert Settings().changed(Settings(layers=(3,), lr=0.5)) == ["layers", "lr"]
    assert Settings(layers=(3, 2)).to_json()["layers"] == [3, 2]
    assert Settings.parse(Settings(layers=(3, 2), features=("x1",)).to_json()) == Settings(
        layers=(3, 2), features=("x1",), activations=("tanh", "tanh")
    )


@pytest.mark.parametrize("value, expected", [(True, True), ("on", True), ("0", False), ("", False)])
def test_a_flag_takes_json_booleans_and_the_words_of_a_url(value, expected):
    assert Settings.parse({"bias": value}).bias is expected


def test_a_flag_that_is_neither_is_refused():
    with pytest.raises(BadRequest, match="bias must be true or false, got 'maybe'"):
        Settings.parse({"bias": "maybe"})


def test_a_choice_that_is_not_text_is_named_as_it_came():
    with pytest.raises(BadRequest, match="dataset must be one of .*, got 5"):
        Settings.parse({"dataset": 5})


def test_the_textbook_perceptron_choices_are_settings():
    from glassnet.playground.perceptron import PerceptronRun

    settings = Settings.parse({"mode": "perceptron", "dataset": "and", "bias": True,
                               "rule": "fausett", "band": "0.2", "lr": "1"})  # fmt: skip
    run = PerceptronRun.create(settings)
    assert (run.perceptron.rule, run.perceptron.band) == ("fausett", 0.2)
    # Fausett's rule takes bipolar targets: the 0/1 labels were mapped to -1/1
    assert set(run.perceptron.epochs_[0].targets.tolist()) <= {-1.0, 1.0}
    step = Settings.parse({"mode": "perceptron", "threshold": "0.2", "step_at_zero": 1})
    run = PerceptronRun.create(step)
    assert (run.perceptron.threshold, run.perceptron.step_at_zero) == (0.2, 1)
    with pytest.raises(BadRequest, match="rule must be one of"):
        Settings.parse({"mode": "perceptron", "rule": "hebb"})
