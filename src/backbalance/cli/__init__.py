"""The command-line adapter: argparse commands (``main``) and the text renderer (``text``).

Like every adapter, it reaches the core only through :mod:`backbalance.core.api`.
"""

from backbalance.cli.main import main

__all__ = ["main"]
