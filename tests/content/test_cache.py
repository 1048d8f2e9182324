"""The checked-content cache: used only when it matches, never trusted by the content check.

Each test loads a private copy of the content into a private cache folder, and counts
full loads by wrapping the loader's parse-and-check step: a load served from the cache
does not parse or check anything.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from backbalance.content import loader
from backbalance.content.loader import (
    CACHE_DIR_ENV,
    Content,
    ContentError,
    cache_file,
    check_content,
    content_cache_dir,
    default_data_dir,
    load_content,
    read_content,
)

PACKAGED = load_content()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every full parse-and-check, recorded by the content version it produced."""
    calls: list[str] = []
    original = loader._parse_and_check

    def counting(*args: object, **kwargs: object) -> Content:
        content = original(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(content.version)
        return content

    monkeypatch.setattr(loader, "_parse_and_check", counting)
    yield calls


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_a_missing_cache_means_a_full_load_that_writes_it(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    content = read_content(data, cache_dir=cache)
    assert full_loads == [content.version]
    assert cache_file(cache, data).is_file()
    assert content == PACKAGED


def test_a_matching_cache_is_used_and_gives_equal_content(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    first = read_content(data, cache_dir=cache)
    second = read_content(data, cache_dir=cache)
    assert full_loads == [first.version]  # the second came from the cache
    assert second == first
    assert second is not first
    assert second.version == first.version


def test_an_edited_file_is_loaded_in_full_not_served_stale(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    before = read_content(data, cache_dir=cache)
    _append(data / "engine.yaml", "\n# an edit\n")
    after = read_content(data, cache_dir=cache)
    assert after.version != before.version
    assert full_loads == [before.version, after.version]
    # …and the cache now holds the new content.
    assert read_content(data, cache_dir=cache).version == after.version
    assert len(full_loads) == 2


def test_content_made_invalid_is_refused_although_a_cache_exists(data: Path, cache: Path) -> None:
    read_content(data, cache_dir=cache)
    _append(data / "manifest.yaml", "colour: red\n")
    with pytest.raises(ContentError) as error:
        read_content(data, cache_dir=cache)
    assert any("manifest.yaml" in p and "colour" in p for p in error.value.problems)


def test_a_change_in_the_checking_code_is_not_answered_from_the_cache(
    data: Path, cache: Path, full_loads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read_content(data, cache_dir=cache)
    monkeypatch.setattr(loader, "_code_fingerprint", lambda: "a stricter schema")
    read_content(data, cache_dir=cache)
    assert len(full_loads) == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: blob[: len(blob) // 2], id="cut short"),
        pytest.param(lambda blob: blob[:-10] + bytes(10), id="payload bytes changed"),
        pytest.param(lambda blob: b"not a cache at all" * 100, id="garbage"),
        pytest.param(lambda blob: blob.replace(b"\n", b"\r\n", 1), id="header changed"),
    ],
)
def test_a_damaged_cache_falls_back_to_a_full_load_and_is_rewritten(
    data: Path, cache: Path, full_loads: list[str], damage: Callable[[bytes], bytes]
) -> None:
    good = read_content(data, cache_dir=cache)
    path = cache_file(cache, data)
    path.write_bytes(damage(path.read_bytes()))
    again = read_content(data, cache_dir=cache)
    assert again == good
    assert len(full_loads) == 2
    read_content(data, cache_dir=cache)
    assert len(full_loads) == 2  # the rewritten cache is whole again


def _forge(path: Path, payload: bytes) -> None:
    """Put ``payload`` in the cache file under the right key and a correct checksum."""
    blob = path.read_bytes()
    header_end = blob.index(b"\n", len(loader._CACHE_HEADER)) + 1
    checksum = hashlib.sha256(payload).hexdigest().encode()
    path.write_bytes(blob[:header_end] + checksum + b"\n" + payload)


def test_a_cache_holding_something_else_is_not_served(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    read_content(data, cache_dir=cache)
    _forge(cache_file(cache, data), pickle.dumps({"not": "content"}))
    read_content(data, cache_dir=cache)
    assert len(full_loads) == 2


def test_a_cache_holding_other_content_is_not_served(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    read_content(data, cache_dir=cache)
    other = replace(PACKAGED, version="2000.1.0+0000000000")
    _forge(cache_file(cache, data), pickle.dumps(other))
    served = read_content(data, cache_dir=cache)
    assert served.version == PACKAGED.version
    assert len(full_loads) == 2


def test_an_unwritable_cache_folder_only_costs_time(
    data: Path, tmp_path: Path, full_loads: list[str]
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("a file where the cache folder would go")
    cache = blocker / "cache"  # cannot be created, even by root
    first = read_content(data, cache_dir=cache)
    second = read_content(data, cache_dir=cache)
    assert first == second == PACKAGED
    assert len(full_loads) == 2
    assert not cache.exists()


def test_two_content_folders_keep_a_cache_each(
    data: Path, tmp_path: Path, cache: Path, full_loads: list[str]
) -> None:
    other = tmp_path / "other install"
    shutil.copytree(data, other)
    _append(other / "engine.yaml", "\n# another version\n")
    for _ in range(2):
        first, second = read_content(data, cache_dir=cache), read_content(other, cache_dir=cache)
        assert first.version != second.version
    assert full_loads == [first.version, second.version]  # no overwriting each other


@pytest.mark.skipif(
    os.name != "posix",
    reason="the owner-and-mode check exists only on POSIX; Windows files have no such modes",
)
def test_a_cache_file_others_may_write_to_is_not_read(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    read_content(data, cache_dir=cache)
    cache_file(cache, data).chmod(0o666)
    read_content(data, cache_dir=cache)
    assert len(full_loads) == 2


def test_the_content_check_never_reads_the_cache(
    data: Path, cache: Path, full_loads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read_content(data, cache_dir=cache)

    def refuse(*args: object) -> None:
        raise AssertionError("the content check read the cache")

    monkeypatch.setattr(loader, "_read_cache", refuse)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    assert check_content(data) == PACKAGED
    assert check_content() == PACKAGED
    assert len(full_loads) == 3


def test_the_content_check_command_checks_in_full(
    cache: Path,
    full_loads: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from backbalance.cli import main

    def refuse(*args: object) -> None:
        raise AssertionError("the content check read the cache")

    monkeypatch.setattr(loader, "_read_cache", refuse)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    assert main(["content", "check"]) == 0
    assert full_loads == [PACKAGED.version]
    assert "OK" in capsys.readouterr().out


# --------------------------------------------------------------------------- where


def test_the_cache_folder_can_be_chosen_or_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "mine"))
    assert content_cache_dir() == tmp_path / "mine"
    monkeypatch.setenv(CACHE_DIR_ENV, "")
    assert content_cache_dir() is None
    monkeypatch.setenv(CACHE_DIR_ENV, "relative/folder")
    assert content_cache_dir() is None


def test_the_cache_is_never_put_inside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    inside = Path(loader.__file__).resolve().parent / "data" / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(inside))
    assert content_cache_dir() is None


def test_the_default_on_linux_is_the_xdg_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert content_cache_dir() == tmp_path / "backbalance"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as the XDG rules say
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert content_cache_dir() == tmp_path / "home" / ".cache" / "backbalance"


def test_the_default_on_macos_is_the_library_caches_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert content_cache_dir() == tmp_path / "Library" / "Caches" / "backbalance"


def test_the_default_on_windows_is_the_local_app_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert content_cache_dir() == tmp_path / "backbalance"
    monkeypatch.delenv("LOCALAPPDATA")
    assert content_cache_dir() is None  # nowhere safe to put it: no cache


def test_only_the_packaged_content_uses_the_cache(
    data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    load_content(data)  # another folder: checked in full, nothing cached
    assert not cache.exists()
