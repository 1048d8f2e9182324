"""Settings for the web benchmark only: the product's, plus a hello-world page to compare.

DJANGO_SETTINGS_MODULE=benchmarks.web_settings python -m backbalance.web serve
"""

from __future__ import annotations

from backbalance.web.settings import *  # noqa: F403 - the product's settings, unchanged

ROOT_URLCONF = "benchmarks.web_urls"
