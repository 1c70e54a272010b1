"""The ``roundtable`` command line: ``main`` and one module per subcommand, with what they
share (options, output files, progress, the log folded)."""
