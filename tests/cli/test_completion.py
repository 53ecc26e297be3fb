"""``glassnet completion bash|zsh``: scripts generated from the parser, checked by the shells
themselves (glassnet.cli.completion)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from glassnet.cli.main import main
from glassnet.cli.parser import build_parser

PARSER = build_parser()
COMMANDS = PARSER.commands()
# The old spellings, hidden from --help (train's --log, a file, is not plot's old --log).
HIDDEN = {"perceptron": ["--json", "--max-epochs"], "evaluate": ["--json"], "info": ["--json"],
          "demo": ["--json"], "plot": ["--log"]}  # fmt: skip


def script(shell: str, capsys) -> str:
    assert main(["completion", shell]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_every_command_option_and_choice_is_in_the_script(shell, capsys):
    text = script(shell, capsys)
    for name, command in COMMANDS.items():
        assert name in text
        for action in command.visible_actions():
            for option in action.option_strings:
                assert option in text, (shell, name, option)
            for choice in action.choices or ():
                assert str(choice) in text, (shell, name, choice)
    for option in ("--version", "--debug"):
        assert option in text


def test_bash_lists_each_command_s_options_and_none_of_the_old_spellings(capsys):
    text = script("bash", capsys)
    branches = text.split('    case "$command" in\n')[1]
    for name, command in COMMANDS.items():
        branch = branches.split(f"        {name})\n", 1)[1].split("\n            ;;", 1)[0]
        listed = branch.split('options="', 1)[1].split('"', 1)[0].split()
        expected = [s for action in command.visible_actions() for s in action.option_strings]
        assert listed == expected, name
        assert not set(HIDDEN.get(name, ())) & set(listed), name


def test_the_hidden_spellings_are_real_options():
    for name, options in HIDDEN.items():
        for option in options:
            COMMANDS[name].check_options([option])  # known: no "unknown option"


def test_the_bash_script_is_valid_bash(capsys, tmp_path):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash on this machine")
    path = tmp_path / "glassnet.bash"
    path.write_text(script("bash", capsys))
    done = subprocess.run([bash, "-n", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def complete(script_path, tmp_path, *words: str) -> list[str]:
    """What the bash script offers for the command line ``words`` (the last one being typed),
    as bash's programmable completion would call it."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash on this machine")
    quoted = " ".join("'" + word + "'" for word in words)
    program = (f"source '{script_path}'\n"
               f"COMP_WORDS=({quoted}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
               "_glassnet\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
               "complete -p glassnet\n")  # fmt: skip
    done = subprocess.run([bash, "-c", program], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    *offered, registered = done.stdout.splitlines()
    assert registered == "complete -o filenames -F _glassnet glassnet"
    return [word for word in offered if word]


def test_bash_completes_commands_options_choices_and_files(capsys, tmp_path):
    path = tmp_path / "glassnet.bash"
    path.write_text(script("bash", capsys))
    (tmp_path / "iris.csv").write_text("a,y\n1,0\n")
    (tmp_path / "iris.glassnet").write_text("")
    assert complete(path, tmp_path, "glassnet", "tr") == ["train", "trace"]
    assert complete(path, tmp_path, "glassnet", "train", "--targ") == ["--target"]
    assert complete(path, tmp_path, "glassnet", "train", "--activation", "l") == ["leaky_relu"]
    assert complete(path, tmp_path, "glassnet", "--debug", "plot", "b") == ["boundary"]
    assert complete(path, tmp_path, "glassnet", "perceptron", "--max") == []  # hidden
    assert complete(path, tmp_path, "glassnet", "train", "--epochs", "") == []  # a number
    # the model, then the data: files, wherever the options stand
    assert complete(path, tmp_path, "glassnet", "evaluate", "iris.g") == ["iris.glassnet"]
    assert complete(path, tmp_path, "glassnet", "evaluate", "--target", "y", "iris.glassnet",
                    "iris.c") == ["iris.csv"]  # fmt: skip
    assert complete(path, tmp_path, "glassnet", "completion", "") == ["bash", "zsh"]


def test_the_zsh_script_is_valid_zsh(capsys, tmp_path):
    zsh = shutil.which("zsh")
    if zsh is None:
        pytest.skip("no zsh on this machine: only the script's text is checked")
    path = tmp_path / "_glassnet"
    path.write_text(script("zsh", capsys))
    done = subprocess.run([zsh, "-n", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # Loaded as ~/.zshrc would (eval after compinit), it registers itself for glassnet.
    program = (f"autoload -Uz compinit; compinit -u -d '{tmp_path}/zcompdump'\n"
               f'eval "$(<{path})"\n'
               "print -r -- $_comps[glassnet]\nwhence -w _glassnet_train\n")  # fmt: skip
    done = subprocess.run([zsh, "-f", "-c", program], capture_output=True, text=True, timeout=60,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["_glassnet", "_glassnet_train: function"]


def test_the_zsh_script_has_a_function_per_command_and_describes_each(capsys):
    text = script("zsh", capsys)
    assert text.startswith("#compdef glassnet\n")
    for name, command in COMMANDS.items():
        assert f"_glassnet_{name}() {{" in text and f"{name}) _glassnet_{name} ;;" in text
        first_words = " ".join(command.summary.split()[:3])  # quotes and colons are changed
        assert f"'{name}:{first_words}" in text, name
    assert "'(-q --quiet)'{-q,--quiet}" in text and "'--target=[" in text
    assert "'*--check=[" in text  # repeatable
    for name, options in HIDDEN.items():
        function = text.split(f"_glassnet_{name}() {{", 1)[1].split("\n}", 1)[0]
        assert not any(f"'{option}[" in function or f"'{option}=[" in function
                       for option in options), name  # fmt: skip


def test_an_unknown_shell_is_a_usage_error(refused):
    refused(["completion", "fish"], 2, "argument shell: invalid choice: 'fish'")
