"""``glassnet completion bash|zsh``: shell completion scripts generated from the parser.

Every command, option and choice comes from the parser itself (``Parser.commands`` and
``Parser.visible_actions``), so a new option completes as soon as it exists, and an old
spelling hidden from ``--help`` is not offered. The scripts need nothing but the shell:
no Python runs at completion time. An option's value completes as its choices, as file
names (a metavar such as DATA.csv, MODEL, PATH), as folders (DIR, FOLDER), or not at all
(a number, a column name).

Example:
    >>> from glassnet.cli.parser import build_parser
    >>> script = bash_script(build_parser())
    >>> "complete -o filenames -F _glassnet glassnet" in script
    True
"""

from __future__ import annotations

import argparse
import re
import sys

from glassnet import __version__
from glassnet.cli.conventions import Parser

__all__ = ["SHELLS", "bash_script", "run_completion", "zsh_script"]

# An option value that names a file or a folder, by its metavar (or its name).
_FILES = {"MODEL", "PATH", "FILE", "OUT", "LOG"}
_FOLDERS = {"DIR", "FOLDER"}


def _value_kind(action: argparse.Action) -> str:
    """What completes an argument's value: "choices", "folders", "files" or "none"."""
    if action.choices is not None:
        return "choices"
    shown = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
    if shown in _FOLDERS:
        return "folders"
    return "files" if re.search(r"\.[A-Za-z]+$", shown) or shown in _FILES else "none"


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


def _words(values) -> str:
    return " ".join(str(value) for value in values)


def _options(parser: Parser) -> list[argparse.Action]:
    return [action for action in parser.visible_actions() if action.option_strings]


def _positionals(parser: Parser) -> list[argparse.Action]:
    return [action for action in parser.visible_actions() if not action.option_strings]


def _bash_reply(action: argparse.Action) -> str:
    """The bash command that completes the value of ``action``."""
    kind = _value_kind(action)
    if kind == "choices":
        return f'COMPREPLY=($(compgen -W "{_words(action.choices or ())}" -- "$cur"))'
    if kind == "folders":
        return 'COMPREPLY=($(compgen -d -- "$cur"))'
    if kind == "files":
        return 'COMPREPLY=($(compgen -f -- "$cur"))'
    return "COMPREPLY=()"


def _bash_command(name: str, parser: Parser) -> list[str]:
    """The ``case`` branch of one command: its options, the values of those that take
    one, and its positional arguments in order."""
    options = _options(parser)
    valued = [action for action in options if _takes_value(action)]
    positionals = " ".join(f"'{_bash_reply(action)}'" for action in _positionals(parser))
    lines = [f"        {name})",
             f'            options="{_words(s for a in options for s in a.option_strings)}"',
             f'            valued=" {_words(s for a in valued for s in a.option_strings)} "',
             f"            positionals=({positionals})",
             '            case "$prev" in']  # fmt: skip
    for action in valued:
        lines.append(f"                {'|'.join(action.option_strings)}) {_bash_reply(action)}; "
                     "return ;;")  # fmt: skip
    return lines + ["            esac", "            ;;"]


# The script's parts around the commands' branches: find the command; complete the top
# level's options and the commands; then an option, an option's value (in the branch), or
# the positional argument at the cursor (an option's value is not one; "-" is).
_BASH_START = """_glassnet() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local command="" start=0 i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ "${COMP_WORDS[i]}" != -* ]]; then command="${COMP_WORDS[i]}"; start=$i; break; fi
    done
    if [[ -z "$command" ]]; then
        if [[ "$cur" == -* ]]; then
            COMPREPLY=($(compgen -W "TOP_OPTIONS" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "COMMANDS" -- "$cur"))
        fi
        return
    fi
    local options="" valued=" "
    local -a positionals=()
    case "$command" in
"""
_BASH_END = """    esac
    if [[ "$cur" == -* && "$cur" != "-" ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    local position=0 skip=0
    for ((i = start + 1; i < COMP_CWORD; i++)); do
        if ((skip)); then skip=0; continue; fi
        case "${COMP_WORDS[i]}" in
            -) position=$((position + 1)) ;;
            -*) [[ "$valued" == *" ${COMP_WORDS[i]} "* ]] && skip=1 ;;
            *) position=$((position + 1)) ;;
        esac
    done
    COMPREPLY=()
    if ((position < ${#positionals[@]})); then eval "${positionals[position]}"; fi
}
complete -o filenames -F _glassnet glassnet
"""


def bash_script(parser: Parser) -> str:
    """The bash completion script of ``parser`` (``glassnet completion bash``).

    Example:
        >>> from glassnet.cli.parser import build_parser
        >>> print(bash_script(build_parser()).splitlines()[0])  # doctest: +ELLIPSIS
        # bash completion for glassnet ..., made by 'glassnet completion bash'
    """
    commands = parser.commands()
    top = _words(s for action in _options(parser) for s in action.option_strings)
    lines = [
        f"# bash completion for glassnet {__version__}, made by 'glassnet completion bash'",
        '# Install: add  eval "$(glassnet completion bash)"  to ~/.bashrc, or save this as',
        "#   ~/.local/share/bash-completion/completions/glassnet",
        _BASH_START.replace("TOP_OPTIONS", top).replace("COMMANDS", _words(commands)).rstrip(),
    ]
    for name, command in commands.items():
        lines += _bash_command(name, command)
    return "\n".join(lines) + "\n" + _BASH_END


def _zsh_text(text: str | None) -> str:
    """Help text as a zsh spec's description: one line, no brackets, colons or quotes."""
    clean = " ".join((text or "").split())
    for bad, good in (("[", "("), ("]", ")"), (":", ","), ("'", ""), ("\\", "/"), ("`", "")):
        clean = clean.replace(bad, good)
    return clean


def _zsh_action(action: argparse.Action) -> str:
    kind = _value_kind(action)
    if kind == "choices":
        return "(" + _words(action.choices or ()) + ")"
    return {"files": "_files", "folders": "_files -/", "none": " "}[kind]


def _zsh_spec(parser: Parser, action: argparse.Action) -> str:
    """One ``_arguments`` spec, in single quotes, of an option or a positional argument."""
    shown = action.metavar if isinstance(action.metavar, str) else action.dest
    described = _zsh_text(action.help)
    if not action.option_strings:
        optional = ":" if action.nargs in ("?", "*") else ""
        return f"':{optional}{_zsh_text(shown)}:{_zsh_action(action)}'"
    repeat = "*" if parser.repeatable(action) else ""
    value = f":{_zsh_text(shown)}:{_zsh_action(action)}" if _takes_value(action) else ""
    names = [f"{name}=" if value and name.startswith("--") else name
             for name in action.option_strings]  # fmt: skip
    if len(names) == 1:
        return f"'{repeat}{names[0]}[{described}]{value}'"
    excluded = " ".join(action.option_strings)
    return f"'{repeat}({excluded})'{{{','.join(names)}}}'[{described}]{value}'"


def zsh_script(parser: Parser) -> str:
    """The zsh completion script of ``parser`` (``glassnet completion zsh``).

    Example:
        >>> from glassnet.cli.parser import build_parser
        >>> print(zsh_script(build_parser()).splitlines()[0])
        #compdef glassnet
    """
    commands = parser.commands()
    lines = [
        "#compdef glassnet",
        f"# zsh completion for glassnet {__version__}, made by 'glassnet completion zsh'",
        '# Install: add  eval "$(glassnet completion zsh)"  to ~/.zshrc (after compinit), or',
        "# save this as _glassnet in a folder of your $fpath.",
    ]
    for name, command in commands.items():
        specs = [_zsh_spec(command, action) for action in command.visible_actions()]
        lines += [f"_glassnet_{name.replace('-', '_')}() {{", "    _arguments -s \\"]
        lines += [f"        {spec} \\" for spec in specs[:-1]] + [f"        {specs[-1]}", "}"]
    described = [f"'{name}:{_zsh_text(command.summary)}'" for name, command in commands.items()]
    top = [_zsh_spec(parser, action) for action in _options(parser)]
    lines += ["_glassnet() {", "    local context state state_descr line",
              "    typeset -A opt_args", "    _arguments -C \\",
              *(f"        {spec} \\" for spec in top),
              "        '1: :->command' \\", "        '*:: :->argument'",
              '    case "$state" in', "        command)",
              "            local -a commands", "            commands=(",
              *(f"                {entry}" for entry in described), "            )",
              "            _describe -t commands 'glassnet command' commands ;;",
              "        argument)", '            case "${line[1]}" in']  # fmt: skip
    for name in commands:
        lines.append(f"                {name}) _glassnet_{name.replace('-', '_')} ;;")
    lines += ["            esac ;;", "    esac", "}",
              'if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then',
              '    _glassnet "$@"', "else", "    compdef _glassnet glassnet", "fi"]  # fmt: skip
    return "\n".join(lines) + "\n"


SHELLS = {"bash": bash_script, "zsh": zsh_script}


def run_completion(args: argparse.Namespace) -> int:
    """``glassnet completion bash|zsh``: print the script; ``--verbose`` says how to install
    it, on standard error.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["completion", "bash"])  # doctest: +ELLIPSIS
        # bash completion for glassnet ...
        complete -o filenames -F _glassnet glassnet
        0
    """
    script = SHELLS[args.shell](args.parser)
    sys.stdout.write(script)
    if args.verbose:
        rc = "~/.bashrc" if args.shell == "bash" else "~/.zshrc"
        print(f'to install it: add  eval "$(glassnet completion {args.shell})"  to {rc}',
              file=sys.stderr)  # fmt: skip
    return 0
