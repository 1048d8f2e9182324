"""The pure clinical core: no Django, no I/O besides reading the packaged content."""

from backbalance.core.engine import evaluate, evaluate_raw

__all__ = ["evaluate", "evaluate_raw"]
