"""What the tests, the benchmarks and the docs' screenshot scripts share: a real server on
loopback, a browser on its pages, an evening typed through the protocol, and how patient to be.

Kept apart from ``tests/`` so that a benchmark or a screenshot script can use them without
importing the test suite, and apart from the shipped packages (it is not in the wheel).
"""
