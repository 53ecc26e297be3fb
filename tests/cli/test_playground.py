"""``glassnet playground`` from the command line (glassnet.cli.playground; the server itself
is tested in tests/playground)."""

from __future__ import annotations

import subprocess
import sys


def test_the_web_server_loads_only_for_its_command():
    code = (
        "import sys\n"
        "from glassnet.cli.main import main\n"
        "main(['demo', 'neuron', '--format', 'json'])\n"
        "print('glassnet.playground.server' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_a_port_out_of_range_is_one_line(capsys):
    from glassnet.cli.main import main

    # Too large or negative, the same usage error naming the option, before the server.
    for value in ("70000", "-3"):
        assert main(["playground", "--port", value]) == 2
        err = capsys.readouterr().err
        assert err.startswith(
            f"glassnet: error: argument --port: must be a whole number in [0, 65535], got {value}"
        )
        assert len(err.strip().splitlines()) == 1
