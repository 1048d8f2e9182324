"""What a cold start pays for: no work at import that the content models can put off.

Timings are measured by ``python3 dev.py bench``, never asserted. These tests hold the
structural causes of a slow start in place instead: which modules a cached start
imports, and how the content models are declared.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from dataclasses import FrozenInstanceError, is_dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest

from backbalance.content import frozen, validation
from backbalance.content.loader import CACHE_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "01_lower_crossed_office_worker.json"

# Each costs milliseconds at every start, and a cached evaluate needs none of them:
# pydantic's plugin loader (reads every installed package's metadata) is imported only
# when a model builds its validator; importlib.resources brings tempfile and shutil;
# PyYAML is only needed to parse the files, which a start served from the cache does not.
NOT_NEEDED_AT_START = (
    "yaml",
    "pydantic.plugin._loader",
    "importlib.metadata",
    "importlib.resources",
    "tempfile",
)

SCHEMA_MODULES = tuple(import_module(name) for name in validation.SCHEMA_MODULES)


def _classes_in(module: ModuleType) -> list[type]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    ]


def _modules_after_cached_evaluate(cache: Path) -> set[str]:
    """The modules a fresh ``backbalance evaluate`` has imported, the cache being in place."""
    script = (
        "import contextlib, io, json, sys\n"
        "from backbalance.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['evaluate', {str(EXAMPLE)!r}])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, CACHE_DIR_ENV: str(cache)}
    command = [sys.executable, "-c", script]
    subprocess.run(command, env=env, check=True, capture_output=True)  # writes the cache
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return set(json.loads(done.stdout))


def test_a_cached_evaluate_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    imported = _modules_after_cached_evaluate(tmp_path / "cache")
    assert "backbalance.core.engine" in imported  # the run did evaluate
    assert sorted(imported & set(NOT_NEEDED_AT_START)) == []


def test_a_cached_evaluate_imports_no_pydantic(tmp_path: Path) -> None:
    """pydantic (its import alone costs about as much as the rest of the start) is only
    needed to check content, never to use content that was already checked."""
    imported = _modules_after_cached_evaluate(tmp_path / "cache")
    assert "backbalance.core.engine" in imported  # the run did evaluate
    pydantic = sorted(name for name in imported if name.split(".")[0].startswith("pydantic"))
    assert pydantic == []


@pytest.mark.parametrize("module", SCHEMA_MODULES, ids=lambda m: m.__name__)
def test_content_classes_are_frozen_dataclasses_made_without_generated_code(
    module: ModuleType,
) -> None:
    """Creating them costs no validator and no compiled method; unpickling them from the
    cache runs no code of theirs; and no code can change content once it is loaded."""
    classes = _classes_in(module)
    assert classes, f"{module.__name__} declares no classes"
    not_made_so = [
        cls.__name__
        for cls in classes
        if not is_dataclass(cls) or cls.__init__.__module__ != frozen.__name__
    ]
    assert not_made_so == []
    for cls in classes:
        blank: object = object.__new__(cls)
        with pytest.raises(FrozenInstanceError):
            blank.anything = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", SCHEMA_MODULES, ids=lambda m: m.__name__)
def test_content_field_annotations_stay_unevaluated(module: ModuleType) -> None:
    """The constraints inside them name pydantic's ``Field``, which is imported only where
    content is checked (see content/validation.py)."""
    assert "annotations" in vars(module)  # ``from __future__ import annotations``
    assert "Field" not in vars(module) or "pydantic" in sys.modules


def _run_as_the_program(cache: Path) -> tuple[int, int, int]:
    """Run ``backbalance evaluate`` as the console script does (no arguments given) in a
    fresh interpreter: its exit code, how many objects it froze, and how many collections
    ran while the content and the core were being loaded (from the first content module to
    the freeze)."""
    script = (
        "import contextlib, gc, io, sys\n"
        "loading = []\n"
        "def seen(phase, info):\n"
        "    started = phase == 'start' and 'backbalance.content' in sys.modules\n"
        "    if started and not gc.get_freeze_count():\n"
        "        loading.append(info['generation'])\n"
        "gc.callbacks.append(seen)\n"
        "from backbalance.cli.main import main\n"
        f"sys.argv = ['backbalance', 'evaluate', {str(EXAMPLE)!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main()\n"
        "print(code, gc.get_freeze_count(), len(loading))\n"
    )
    env = {**os.environ, CACHE_DIR_ENV: str(cache)}
    command = [sys.executable, "-c", script]
    subprocess.run(command, env=env, check=True, capture_output=True)  # writes the cache
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    code, frozen, collections = (int(word) for word in done.stdout.split())
    assert code == 0
    return code, frozen, collections


def test_run_as_the_program_it_freezes_what_it_loaded(tmp_path: Path) -> None:
    """So the cyclic collector does not walk it again during the command nor at exit."""
    _, frozen, _ = _run_as_the_program(tmp_path / "cache")
    assert frozen > 10_000  # the content alone is thousands of objects


def test_run_as_the_program_no_collection_runs_while_it_loads(tmp_path: Path) -> None:
    """Everything loaded then lives until the end, so a collection would find nothing."""
    _, _, collections = _run_as_the_program(tmp_path / "cache")
    assert collections == 0


def test_version_and_help_answer_without_loading_the_core() -> None:
    script = (
        "import contextlib, io, sys\n"
        "from backbalance.cli.main import main\n"
        "for asked in (['--version'], ['--help'], ['evaluate']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        with contextlib.redirect_stderr(io.StringIO()):\n"
        "            main(asked)\n"
        "print(sorted(m for m in sys.modules if m.startswith('backbalance.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    assert done.stdout.split() == ["['backbalance.cli',", "'backbalance.cli.main']"]


def test_called_with_arguments_it_leaves_the_collector_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A caller whose process goes on (a test, another program) keeps its garbage collectable."""
    from backbalance.cli.main import main

    before = gc.get_freeze_count()
    assert main(["evaluate", str(EXAMPLE)]) == 0
    assert '"triage"' in capsys.readouterr().out
    assert gc.get_freeze_count() == before


def test_every_schema_module_is_listed_for_checking() -> None:
    """A schema module missing from the list would have its classes checked without the
    names their annotations use, and left out of the tests above."""
    import pkgutil

    import backbalance.content

    found = {
        f"backbalance.content.{info.name}"
        for info in pkgutil.iter_modules(backbalance.content.__path__)
        if info.name.startswith("schema")
    }
    assert found == set(validation.SCHEMA_MODULES)
