"""``python -m glassnet``: the same command line as the ``glassnet`` script.

Useful where the script is not on the PATH, or to choose the interpreter that runs it::

    python -m glassnet --version
    python3.13 -m glassnet demo

Example:
    >>> import subprocess, sys
    >>> subprocess.run([sys.executable, "-m", "glassnet", "--version"],
    ...                capture_output=True, text=True).stdout.startswith("glassnet ")
    True
"""

import sys

from glassnet.cli.main import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
