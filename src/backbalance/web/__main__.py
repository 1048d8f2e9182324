"""``python -m backbalance.web``: serve the app, or run a Django management command.

python -m backbalance.web serve [--demo] [--port 8000]
python -m backbalance.web manage <command> ...
"""

from __future__ import annotations

import sys

from backbalance.web.serve import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
