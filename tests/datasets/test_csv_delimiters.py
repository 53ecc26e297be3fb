"""The CSV loader's delimiter: a comma, a semicolon or a tab, found from the first rows or
given, and said in CSVData.delimiter (glassnet.datasets.load_csv)."""

import pytest

from glassnet.datasets import DataError, load_csv
from glassnet.datasets.csvfile import SAMPLE_LINES, check_delimiter, detect_delimiter


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    "text, delimiter",
    [
        ("a,b,y\n1,2,0\n3,4,1\n", ","),
        ("a;b;y\n1;2;0\n3;4;1\n", ";"),
        ("a\tb\ty\n1\t2\t0\n3\t4\t1\n", "\t"),
        # decimal commas in a semicolon file: the commas split no header
        ("a;b;y\n1,5;2,25;0\n3,0;4;1\n", ";"),
        # a semicolon inside a quoted header cell of a comma file
        ('"a;1",b,y\n1,2,0\n3,4,1\n', ","),
        # one column: nothing to split, a comma's
        ("y\n1\n0\n", ","),
    ],
)
def test_the_delimiter_is_found_from_the_header_and_first_rows(text, delimiter):
    assert detect_delimiter(text) == delimiter


def test_a_semicolon_file_reads_as_its_comma_twin(tmp_path):
    commas = load_csv(write(tmp_path, "a,b,y\n1,2,red\n3.5,4,blue\n", "c.csv"), target="y")
    semis = load_csv(write(tmp_path, "a;b;y\n1;2;red\n3.5;4;blue\n", "s.csv"), target="y")
    tabs = load_csv(write(tmp_path, "a\tb\ty\n1\t2\tred\n3.5\t4\tblue\n", "t.csv"), target="y")
    for data in (semis, tabs):
        assert data.X.tolist() == commas.X.tolist() == [[1.0, 2.0], [3.5, 4.0]]
        assert data.y.tolist() == commas.y.tolist() == ["red", "blue"]
        assert data.feature_names == ["a", "b"] and data.columns == ["a", "b", "y"]
    assert (commas.delimiter, semis.delimiter, tabs.delimiter) == (",", ";", "\t")


def test_the_issue_s_semicolon_file_no_longer_fails_on_its_target(tmp_path):
    # Before: "no column named 'y'; the columns are ['a;b;y']".
    data = load_csv(write(tmp_path, "a;b;y\n0;0;0\n0;1;1\n1;0;1\n1;1;1\n"), target="y")
    assert data.y.tolist() == [0, 1, 1, 1] and data.delimiter == ";"


def test_a_given_delimiter_is_used_as_given(tmp_path):
    path = write(tmp_path, "a|b|y\n1|2|0\n3|4|1\n")  # not one detection chooses from
    with pytest.raises(DataError, match=r"the columns are \['a\|b\|y'\]"):
        load_csv(path, target="y")
    data = load_csv(path, target="y", delimiter="|")
    assert data.X.tolist() == [[1.0, 2.0], [3.0, 4.0]] and data.delimiter == "|"


def test_a_wrong_delimiter_names_the_one_the_header_holds(tmp_path):
    path = write(tmp_path, "a;b;y\n1;2;0\n")
    with pytest.raises(DataError) as error:
        load_csv(path, target="y", delimiter=",")
    message = str(error.value)
    assert message.startswith(f"{path}: no column named 'y'; the columns are ['a;b;y']")
    assert "one column, whose name holds ';': the file may be ';'-separated" in message


def test_a_ragged_semicolon_file_names_the_row_that_differs(tmp_path):
    path = write(tmp_path, "a;b;y\n1;2;0\n3;1\n")
    with pytest.raises(DataError, match=r"row 3 has 2 cells but the header has 3 columns"):
        load_csv(path, target="y")


@pytest.mark.parametrize(
    "text, message",
    [
        ("a;b;y\n1;2;0\n3;x;1\n", "row 3, column 'b': 'x' is not a number"),
        ("a\tb\ty\n1\t2\t0\n\n3\tnan\t1\n", "row 4, column 'b': nan is not a finite number"),
        ("a;b;y\n1;2;0\n3;4;\n", "row 3, column 'y': the target is empty"),
        ('a;b;y\n1;"2;0\n', "row 2: a quote opens there and never closes"),
    ],
)
def test_errors_in_semicolon_and_tab_files_name_file_row_and_column(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as error:
        load_csv(path, target="y")
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


def test_a_decimal_comma_is_named_as_one(tmp_path):
    path = write(tmp_path, "a\tb\ty\n1,5\t2\t0\n")
    with pytest.raises(DataError) as error:
        load_csv(path, target="y")
    assert str(error.value) == (
        f"{path}: row 2, column 'a': '1,5' is not a number (a decimal comma: write 1.5); "
        "feature columns must be numbers"
    )


def test_quoted_cells_may_hold_the_delimiter_and_line_breaks(tmp_path):
    text = 'a;"b;\nc";y\n"1";2;"x;y"\n3;4;"p\nq"\n'
    data = load_csv(write(tmp_path, text), target="y")
    assert data.delimiter == ";" and data.feature_names == ["a", "b;\nc"]
    assert data.y.tolist() == ["x;y", "p\nq"] and data.lines.tolist() == [3, 4]


def test_only_the_first_rows_are_sampled_and_a_later_ragged_row_is_named(tmp_path):
    rows = "".join(f"{i};{i};0\n" for i in range(SAMPLE_LINES + 10))
    path = write(tmp_path, "a;b;y\n" + rows + "1;2\n")
    with pytest.raises(DataError, match=rf"row {SAMPLE_LINES + 12} has 2 cells"):
        load_csv(path, target="y")


@pytest.mark.parametrize("bad", ["", ";;", ".", "-", "1", "e", '"', "\n"])
def test_a_delimiter_that_cannot_separate_numbers_is_refused(bad):
    with pytest.raises(ValueError, match="delimiter must be one character"):
        check_delimiter(bad)


def test_a_bad_delimiter_is_refused_before_the_file_is_read(tmp_path):
    with pytest.raises(ValueError, match=r"got '\.'"):
        load_csv(str(tmp_path / "missing.csv"), delimiter=".")
