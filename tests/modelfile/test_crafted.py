"""Crafted model files: every field range-checked before use, sizes checked before anything
is allocated, only regular files read, reads bounded; every failure one ModelFileError."""

from __future__ import annotations

import os
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest

import glassnet as gn
from glassnet.modelfile import ModelFileError


@pytest.fixture
def saved(tmp_path):
    net = gn.Network([gn.Dense(2, 3, "tanh", l2=0.01), gn.Dense(3, 1, "sigmoid")],
                     loss="binary_crossentropy", seed=0)  # fmt: skip
    net.fit([[0, 0], [0, 1], [1, 0], [1, 1]], ["no", "yes", "yes", "no"], epochs=2)
    path = tmp_path / "net.glassnet"
    gn.save(net, path, metadata={"figures": {"training": {"loss": 0.5}}})
    return path


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_members(path, contents: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def with_model_json(saved, tmp_path, text: str):
    contents = members(saved)
    contents["model.json"] = text.encode()
    target = tmp_path / "crafted.glassnet"
    write_members(target, contents)
    return target


def refused(path) -> str:
    with pytest.raises(ModelFileError) as error:
        gn.load(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('"l2": 0.01', '"l2": ' + "1" + "0" * 400, "an integer of 401 digits"),
        ('"l2": 0.01', '"l2": 1e400', "too large for a float"),
        ('"l2": 0.01', '"l2": NaN', "holds NaN"),
        ('"l2": 0.01', '"l2": -Infinity', "holds -Infinity"),
        ('"seed": 0', '"seed": ' + "9" * 5000, "an integer of 5000 digits"),
        ('"n_outputs": 3', '"n_outputs": 1000000', "declares"),
    ],
)
def test_numbers_out_of_any_range_are_one_line_errors(saved, tmp_path, old, new, expected):
    text = members(saved)["model.json"].decode()
    assert old in text
    assert expected in refused(with_model_json(saved, tmp_path, text.replace(old, new, 1)))


def test_deep_nesting_is_refused_without_a_recursion_error(saved, tmp_path):
    text = members(saved)["model.json"].decode()
    deep = text.replace('"metadata": {', '"metadata": {"x": ' + "[" * 200_000, 1)
    assert "too deeply" in refused(with_model_json(saved, tmp_path, deep))


def test_an_npy_header_that_claims_a_huge_shape_is_refused_before_allocating(saved, tmp_path):
    contents = members(saved)
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    header += b" " * (118 - len(header)) + b"\n"
    contents["arrays/0.npy"] = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
    target = tmp_path / "claims.glassnet"
    write_members(target, contents)
    tracemalloc.start()
    try:
        message = refused(target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "declares shape (1000000, 1000000)" in message
    assert peak < 20 * 2**20


def test_a_member_that_lies_about_its_size_is_read_in_bounded_memory(saved, tmp_path):
    contents = members(saved)
    contents["arrays/0.npy"] = bytes(100 * 2**20)  # 100 MB of zeros, about 100 kB packed
    bomb = tmp_path / "bomb.glassnet"
    write_members(bomb, {name: data for name, data in contents.items() if name != "arrays/0.npy"}
                  | {"arrays/0.npy": contents["arrays/0.npy"]})  # fmt: skip
    del contents
    # Make the local and the central header declare 1,000 bytes: the data stay as they are.
    raw = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("arrays/0.npy")
    struct.pack_into("<I", raw, info.header_offset + 22, 1000)
    central = raw.rfind(b"PK\x01\x02", 0, raw.find(b"PK\x05\x06"))
    assert raw[central + 46 : central + 46 + 12] == b"arrays/0.npy"
    struct.pack_into("<I", raw, central + 24, 1000)
    bomb.write_bytes(bytes(raw))
    del raw
    tracemalloc.start()
    try:
        message = refused(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "arrays/0.npy" in message
    assert peak < 20 * 2**20  # reading all of it would take 100 MB


def test_only_regular_files_are_read(tmp_path):
    link = tmp_path / "zero.glassnet"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in refused(link)


def test_a_bytes_path_is_a_path(saved):
    assert isinstance(gn.load(os.fsencode(saved)), gn.Network)


def test_save_checks_what_load_will_check(tmp_path):
    net = gn.Network([gn.Dense(2, 1)], seed=0)
    path = tmp_path / "bad.glassnet"
    with pytest.raises(ValueError, match="'features' names 1 columns but the model takes 2"):
        gn.save(net, path, metadata={"features": ["a"]})
    assert not path.exists()
    nested: dict = {}
    for _ in range(900):
        nested = {"x": nested}
    with pytest.raises(ValueError, match="nests deeper than 64 levels"):
        gn.save(net, path, metadata=nested)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("flip", range(0, 30))
def test_flipped_header_bits_give_a_model_file_error_or_the_same_model(saved, tmp_path, flip):
    original = gn.load(saved)
    raw = bytearray(saved.read_bytes())
    rng = np.random.default_rng(flip)
    # Bits in the zip headers: the local header of the first member and the central
    # directory, where "zip version", "compression method" and "encrypted" live.
    directory = raw.find(b"PK\x01\x02")
    for position in (int(rng.integers(4, 30)), int(rng.integers(directory + 4, directory + 46))):
        raw[position] ^= 1 << int(rng.integers(8))
    target = tmp_path / "flipped.glassnet"
    target.write_bytes(bytes(raw))
    try:
        model = gn.load(target)
    except ModelFileError as error:
        assert "\n" not in str(error)
    else:
        X = np.array([[0.0, 1.0], [1.0, 1.0]])
        assert np.array_equal(model.predict_proba(X), original.predict_proba(X))


@pytest.mark.parametrize(
    "options", [{"threshold": "nan"}, {"threshold": 1e400}, {"threshold": True}]
)
def test_activation_options_are_range_checked(tmp_path, options):
    net = gn.Network([gn.Dense(2, 1, {"name": "sign", "threshold": 0.5})], loss="mse", seed=0)
    path = tmp_path / "sign.glassnet"
    gn.save(net, path)
    text = members(path)["model.json"].decode()
    crafted = text.replace('"threshold": 0.5', f'"threshold": {json_value(options["threshold"])}')
    assert crafted != text
    message = refused(with_model_json(path, tmp_path, crafted))
    assert "bad activation settings" in message or "401 digits" in message


def json_value(value) -> str:
    if value is True:
        return "true"
    return (
        f'"{value}"'
        if isinstance(value, str)
        else ("1" + "0" * 400 if value == 1e400 else str(value))
    )


def test_an_interruption_inside_a_member_propagates_as_itself(tmp_path, monkeypatch):
    import zipfile

    def cut_short(self, info, data):
        self.open(info, "w")  # a member begun, then the signal
        raise KeyboardInterrupt

    monkeypatch.setattr(zipfile.ZipFile, "writestr", cut_short)
    with pytest.raises(KeyboardInterrupt):
        gn.save(gn.Network([gn.Dense(2, 1)], seed=0), tmp_path / "cut.glassnet")
    assert os.listdir(tmp_path) == []
