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

    assert main(["playground", "--port", "70000"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("glassnet: error: port must be 0") and len(err.strip().splitlines()) == 1
    assert main(["playground", "--port", "-3"]) == 2
    assert "argument --port: must be a whole number in [0, inf), got -3" in capsys.readouterr().err
