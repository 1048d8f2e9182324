"""Every word a person reads in a template is marked for translation.

A language can then be added with a message file alone. The check strips the template
tags and the HTML markup and looks for words left over; the content's own text (filled
in through variables) is not in the templates, so it is not concerned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "backbalance" / "web"
TEMPLATES = sorted(WEB.glob("*/templates/**/*.html"))
# Words that are the same in every language.
UNTRANSLATED = {"backbalance"}

_BLOCKS = re.compile(r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}", re.DOTALL)
# The page's class names, not words anybody reads.
_CLASS_BLOCK = re.compile(r"{%\s*block page_class\s*%}.*?{%\s*endblock", re.DOTALL)
_TAG_OR_VAR = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_READ_ATTRIBUTE = re.compile(r'\b(aria-label|title|alt|placeholder|data-confirm)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z]{2,}")


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if word not in UNTRANSLATED]


def untranslated_words(source: str) -> list[str]:
    source = _BLOCKS.sub("\x00", source)
    source = _CLASS_BLOCK.sub("\x00", source)
    source = _TAG_OR_VAR.sub("\x00", source)
    source = _SCRIPT_STYLE.sub("", source)
    found = [
        f'{name}="{value}"'
        for name, value in _READ_ATTRIBUTE.findall(source)
        if _words(value.replace("\x00", " "))
    ]
    text = _HTML_TAG.sub(" ", source).replace("&nbsp;", " ")
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    found.extend(_words(text))
    return found


def test_the_check_finds_plain_words_and_passes_marked_ones() -> None:
    assert untranslated_words("<p>Hello there</p>") == ["Hello", "there"]
    assert untranslated_words('<a aria-label="Home">x</a>') == ['aria-label="Home"']
    assert untranslated_words("<p>{% translate 'Hello' %} {{ name }}</p>") == []
    assert untranslated_words("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert untranslated_words('<a aria-label="{% translate "Home" %}">') == []
    assert untranslated_words("{% block page_class %}results{% endblock %}") == []


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) >= 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(WEB)))
def test_every_word_is_marked_for_translation(template: Path) -> None:
    assert untranslated_words(template.read_text()) == []
