"""``glassnet lessons``: the lessons copied to a folder, a learner's copy kept
(glassnet.cli.lessons)."""

from __future__ import annotations

import json

from glassnet.cli.lessons import lesson_files
from glassnet.cli.main import main


def test_lessons_are_copied_with_how_to_open_them(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["lessons", str(folder)]) == 0
    out = capsys.readouterr().out
    names = sorted(path.name for path in folder.iterdir())
    assert names == [lesson.name for lesson in lesson_files()] and len(names) >= 6
    assert f"copied {len(names)} lessons to {folder}" in out
    assert "jupyter lab" in out and "01-one-neuron.ipynb" in out
    first = json.loads((folder / names[0]).read_text())
    assert first["nbformat"] == 4 and first["cells"]


def test_a_learners_copy_is_kept_unless_forced(tmp_path, capsys):
    assert main(["lessons", str(tmp_path)]) == 0
    mine = tmp_path / "01-one-neuron.ipynb"
    mine.write_text("my answers")
    capsys.readouterr()
    assert main(["lessons", str(tmp_path)]) == 0
    assert mine.read_text() == "my answers"
    assert "kept 8 already there" in capsys.readouterr().out
    assert main(["lessons", str(tmp_path), "--force"]) == 0
    assert json.loads(mine.read_text())["nbformat"] == 4


def test_a_file_in_place_of_the_folder_is_refused_in_one_line(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("x")
    assert main(["lessons", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"glassnet: error: {target} is a file, not a folder: give a folder for the "
                   "lessons"]  # fmt: skip
