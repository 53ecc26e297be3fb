"""pandas: a network trained on a DataFrame knows its columns by name, and keeps them."""

import numpy as np
import pytest

import glassnet as gn

pd = pytest.importorskip("pandas")


@pytest.fixture
def trained():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(40, 3)), columns=["width", "height", "depth"])
    labels = pd.Series(np.where(frame["width"] > frame["depth"], "wide", "deep"))
    net = gn.Network([gn.Dense(3, 4, "tanh"), gn.Dense(4, 1, "sigmoid")],
                     "binary_crossentropy", seed=0)  # fmt: skip
    net.fit(frame, labels, epochs=50, learning_rate=0.5)
    return net, frame, labels


def test_the_column_names_are_learned_and_reordered_columns_predict_the_same(trained):
    net, frame, _ = trained
    assert net.feature_names == ["width", "height", "depth"]
    reordered = frame[["depth", "width", "height"]]
    np.testing.assert_array_equal(net.predict_proba(reordered), net.predict_proba(frame))
    np.testing.assert_array_equal(net.predict(reordered), net.predict(frame.to_numpy()))


def test_missing_or_extra_columns_are_refused_by_name(trained):
    net, frame, labels = trained
    with pytest.raises(ValueError, match=r"X has no column 'depth'"):
        net.predict(frame[["width", "height"]])
    with pytest.raises(
        ValueError, match=r"X has columns the network was not trained on: \['colour'\]"
    ):
        net.evaluate(frame.assign(colour=1.0), labels)


def test_string_and_category_labels_save_and_predict_the_same_after_loading(trained, tmp_path):
    net, frame, labels = trained
    path = tmp_path / "frame.glassnet"
    gn.save(net, path)
    loaded = gn.load(path)
    assert loaded.feature_names == ["width", "height", "depth"]
    assert (
        loaded.predict(frame[["height", "depth", "width"]]).tolist() == net.predict(frame).tolist()
    )
    category = gn.Network([gn.Dense(3, 2, "softmax")], "crossentropy", seed=1)
    category.fit(frame, labels.astype("category"), epochs=5, learning_rate=0.1)
    gn.save(category, tmp_path / "category.glassnet")
    assert gn.load(tmp_path / "category.glassnet").classes.tolist() == ["deep", "wide"]
