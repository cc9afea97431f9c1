"""`python -m pmo`: the command line (pmo.cli)."""

import sys

from pmo.cli import main

sys.exit(main())
