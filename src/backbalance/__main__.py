"""``python -m backbalance`` runs the command-line interface."""

import sys

from backbalance.cli.main import main

sys.exit(main())
