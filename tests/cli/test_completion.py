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


# Run inside an interactive zsh on a pseudo-terminal (zpty): compinit, the script loaded
# as ~/.zshrc would, and Tab bound to a completion widget that runs zsh's own completion
# (_main_complete) while compadd, overridden, records each word it would offer. Calls that
# only ask (-O, -A, -D: fill an array, offer nothing) go straight to the builtin.
ZSH_SETUP = r"""PS1='' RPROMPT=''
autoload -Uz compinit && compinit -u -d "$HOME/zcompdump"
eval "$(<$HOME/_glassnet)"
typeset -gaU offered
compadd() {
    if (( ${${@[1,(i)(-|--)]}[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi
    local -a found
    builtin compadd -O found "$@"
    offered+=("${found[@]}")
    builtin compadd "$@"
}
integer asked=0
capture-complete() {
    offered=()
    _main_complete
    (( asked++ ))
    print -rl -- "${offered[@]}" > "$HOME/offered.$asked"
    print -r -- "glassnet-completed-$asked"
}
zle -C capture-complete complete-word capture-complete
bindkey '^I' capture-complete
print -r -- glassnet-ready
"""
# Types each command line given and Tab, waits for the widget's word, then clears the line.
ZSH_DRIVER = r"""zmodload zsh/zpty || exit 5
zpty shell zsh -f -i
zpty -w shell "source $HOME/setup.zsh"
zpty -r shell line '*glassnet-ready*'
integer k=0
for typed in "$@"; do
    (( k++ ))
    zpty -n -w shell "$typed"$'\t'
    zpty -r shell line "*glassnet-completed-$k*"
    zpty -n -w shell $'\C-u'
done
zpty -d shell
"""


def zsh_offers(capsys, tmp_path, *lines: str) -> list[list[str]]:
    """What zsh's completion offers, sorted, at the end of each command line of ``lines``
    (Tab pressed after its last character), with the script loaded after compinit."""
    zsh = shutil.which("zsh")
    if zsh is None:
        pytest.skip("no zsh on this machine: the zsh script is not run")
    probe = subprocess.run([zsh, "-f", "-c", "zmodload zsh/zpty"], capture_output=True,
                           timeout=60)  # fmt: skip
    if probe.returncode != 0:
        pytest.skip("this zsh has no zsh/zpty module to type into an interactive zsh")
    (tmp_path / "_glassnet").write_text(script("zsh", capsys))
    (tmp_path / "setup.zsh").write_text(ZSH_SETUP)
    done = subprocess.run([zsh, "-f", "-c", ZSH_DRIVER, "zsh", *lines], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    offered = [
        (tmp_path / f"offered.{k}").read_text().split("\n") for k in range(1, len(lines) + 1)
    ]
    return [sorted(word for word in words if word) for words in offered]


def test_zsh_completes_commands_options_choices_and_files(capsys, tmp_path):
    (tmp_path / "iris.csv").write_text("a,y\n1,0\n")
    (tmp_path / "iris.glassnet").write_text("")
    (tmp_path / "lessons-here").mkdir()
    (tmp_path / "lessons.txt").write_text("")
    lines = {
        "glassnet tr": ["trace", "train"],
        "glassnet train --opt": ["--optimizer"],
        "glassnet train --optimizer ": ["adam", "momentum", "nesterov", "sgd"],
        "glassnet train --optimizer=n": ["nesterov"],
        "glassnet train --activation l": ["leaky_relu"],
        "glassnet --debug pl": ["playground", "plot"],
        "glassnet --de": ["--debug"],
        "glassnet perceptron --max": [],  # the old spelling is hidden
        "glassnet trace --ch": ["--check"],
        "glassnet train --epochs ": [],  # a number
        "glassnet evaluate iris.g": ["iris.glassnet"],
        "glassnet train --log ir": ["iris.csv", "iris.glassnet"],
        "glassnet lessons less": ["lessons-here"],  # a folder, not the file beside it
        "glassnet completion ": ["bash", "zsh"],
    }
    assert dict(zip(lines, zsh_offers(capsys, tmp_path, *lines), strict=True)) == lines


def test_zsh_offers_each_command_s_visible_options(capsys, tmp_path):
    names = list(COMMANDS)
    offered = zsh_offers(capsys, tmp_path, *(f"glassnet {name} --" for name in names))
    for name, words in zip(names, offered, strict=True):
        expected = {s for a in COMMANDS[name].visible_actions() for s in a.option_strings
                    if s.startswith("--")}  # fmt: skip
        assert set(words) == expected, name


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
