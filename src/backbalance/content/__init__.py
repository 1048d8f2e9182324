"""Clinical content as data: typed schemas and a strict loader."""

from backbalance.content.loader import Content, ContentError, check_content, load_content

__all__ = ["Content", "ContentError", "check_content", "load_content"]
