"""The command-line adapter: its arguments (``main``), what each command does (``commands``)
and the text renderer (``text``).

Like every adapter, it reaches the core only through :mod:`backbalance.core.api`.
"""

from backbalance.cli.main import main

__all__ = ["main"]
