"""Uploads: the file's bytes read by load_csv, so an encoding problem is named; the
delimiter told; text already decoded with replacement characters refused."""

import base64
import doctest

import pytest

import glassnet.playground.uploads as uploads_module
from glassnet.playground.settings import BadRequest
from glassnet.playground.uploads import read_upload


def bytes_payload(content: bytes) -> dict:
    return {"data": base64.b64encode(content).decode()}


def test_the_bytes_of_a_utf8_file_keep_its_labels_apart(tmp_path):
    content = "a,b,label\n1,2,été\n3,4,ètè\n5,6,été\n".encode()
    upload = read_upload("fr.csv", bytes_payload(content), None, str(tmp_path))
    assert upload.classes == ["ètè", "été"] and upload.y.tolist() == [1, 0, 1]


def test_a_latin1_file_is_refused_naming_the_byte_and_its_line(tmp_path):
    content = "a,b,label\n1,2,été\n3,4,ètè\n".encode("latin-1")
    with pytest.raises(BadRequest) as caught:
        read_upload("fr.csv", bytes_payload(content), None, str(tmp_path))
    message = str(caught.value)
    assert message.startswith("fr.csv: not UTF-8 text: byte 0xe9 on line 2")
    assert str(tmp_path) not in message and list(tmp_path.iterdir()) == []


def test_text_decoded_with_replacement_characters_is_refused(tmp_path):
    text = "a,b,label\n1,2,\ufffdt\ufffd\n3,4,\ufffdt\ufffd\n"
    with pytest.raises(BadRequest, match="U\\+FFFD replacement characters: it was not UTF-8"):
        read_upload("fr.csv", {"text": text}, None, str(tmp_path))


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_semicolon_or_tab_file_reads_as_its_comma_twin_and_says_so(tmp_path, delimiter):
    rows = [["u", "v", "k"], *([str(i), str(i % 3), "ab"[i % 2]] for i in range(8))]
    twin = read_upload("c.csv", {"text": "".join(",".join(r) + "\n" for r in rows)}, None,
                       str(tmp_path))  # fmt: skip
    text = "".join(delimiter.join(r) + "\n" for r in rows)
    upload = read_upload("s.csv", {"text": text}, None, str(tmp_path))
    assert (upload.delimiter, twin.delimiter) == (delimiter, ",")
    assert upload.features == twin.features == ["u", "v"] and upload.target == "k"
    assert upload.X.tolist() == twin.X.tolist() and upload.y.tolist() == twin.y.tolist()
    assert upload.classes == ["a", "b"]


def test_a_decimal_comma_in_a_semicolon_file_is_named(tmp_path):
    text = "u;v;k\n1,5;2;0\n3;4;1\n"
    with pytest.raises(BadRequest, match="decimal comma"):
        read_upload("s.csv", {"text": text}, None, str(tmp_path))


def test_data_that_is_not_base64_and_a_missing_body(tmp_path):
    with pytest.raises(BadRequest, match="'data' of x.csv is not base64"):
        read_upload("x.csv", {"data": "%%%"}, None, str(tmp_path))
    with pytest.raises(BadRequest, match="'data' \\(the file's bytes in base64\\) or 'text'"):
        read_upload("x.csv", {}, None, str(tmp_path))


def test_an_upload_through_the_server_in_bytes(api):
    content = b"u,v,k\n" + b"".join(b"%d,%d,%d\n" % (i, i % 3, i % 2) for i in range(12))
    status, _, reply = api.post("/api/upload", {"filename": "../../etc/k.csv",
                                                **bytes_payload(content)})  # fmt: skip
    assert status == 200 and reply["filename"] == "k.csv" and reply["rows"] == 12
    latin = "a,b,c\n1,2,é\n".encode("latin-1")
    api.assert_bad(api.post("/api/upload", {"filename": "l.csv", **bytes_payload(latin)}), 400,
                   "l.csv: not UTF-8 text")  # fmt: skip


def test_docstring_examples():
    result = doctest.testmod(uploads_module, optionflags=doctest.ELLIPSIS |
                             doctest.NORMALIZE_WHITESPACE)  # fmt: skip
    assert result.failed == 0 and result.attempted >= 3
