"""``glassnet playground``: the local web page that trains a network live.

The web server's modules are imported only when this command runs, so every other command
starts without them. The address line is all the server prints, with ``--quiet`` too;
``--verbose`` first says where the page's files are served from.

Example:
    >>> from glassnet.cli.main import main
    >>> main(["playground", "--open"])  # doctest: +SKIP
    glassnet playground at http://127.0.0.1:8000/  (Ctrl-C stops it)
"""

from __future__ import annotations

import argparse
from importlib import resources

from glassnet.cli.errors import reported_as_command_error

__all__ = ["run_playground"]


def run_playground(args: argparse.Namespace) -> int:
    """Serve the playground on 127.0.0.1 until Ctrl-C (or a kill); opens it with ``--open``.

    Example:
        >>> from glassnet.cli.parser import build_parser
        >>> run_playground(build_parser().parse_args(["playground"]))  # doctest: +SKIP
        glassnet playground at http://127.0.0.1:8000/  (Ctrl-C stops it)
        0
    """
    from glassnet.playground.server import serve

    if args.verbose:
        static = resources.files("glassnet") / "playground" / "static"
        print(f"the page's files: {static}; requests are not logged", flush=True)
    # The server checks the port (0 to 65535) and says so in one line.
    with reported_as_command_error():
        serve(args.port, open_browser=args.open)
    return 0
