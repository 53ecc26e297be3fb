"""The ``glassnet`` command line (argparse): ``glassnet.cli.main.main`` is its entry point.

main (the exit codes), parser (every command's options), options (the option types),
errors (what is recognised as a mistake), files and output (what a command writes and
prints), rows (a data file read for a model), and one module per command group: train,
perceptron, inspection (evaluate, predict, trace, info), pictures (demo, plot) and
playground.
"""
