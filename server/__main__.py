"""``python -m server`` is the ``roundtable`` command."""

import sys

from server.cli.main import main

sys.exit(main())
