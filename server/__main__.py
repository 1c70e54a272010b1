"""``python -m server`` is the ``roundtable`` command."""

import sys

from server.cli import main

sys.exit(main())
