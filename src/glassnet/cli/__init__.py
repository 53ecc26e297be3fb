"""The ``glassnet`` command line (argparse): ``glassnet.cli.main.main`` is its entry point.

main (the exit codes, signals), parser (every command's options), conventions (the shared
parser class and options: no abbreviations, --quiet/--verbose, the old spellings), options
(the option types), errors (what is recognised as a mistake), files and output (what a
command writes and prints), rows (every CSV read, its delimiter said), limits (memory and
scale checks before training), completion (bash and zsh scripts from the parser), and one
module per command group: train, perceptron, inspection (evaluate, predict, trace, info),
pictures (demo, plot), playground, export and lessons.
"""
