"""The ``glassnet`` command line (argparse): ``glassnet.cli.main.main`` is its entry point."""
