"""Clinical content as data: typed schemas and a strict loader."""

from backbalance.content.loader import Content, ContentError, load_content

__all__ = ["Content", "ContentError", "load_content"]
