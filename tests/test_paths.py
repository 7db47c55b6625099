"""mbl_open.infrastructure.paths: the repository layout is found in one place, can be pointed elsewhere, and says what is
missing."""
from pathlib import Path

import pytest

from mbl_open.infrastructure import paths
from mbl_open.ensemble import book_dataset

REPO = Path(__file__).resolve().parents[1]


def test_the_default_layout_is_the_checkout_around_the_package(monkeypatch):
    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    assert paths.root() == REPO
    assert paths.data_dir() == REPO / "data" and paths.book_dir() == REPO / "book"
    assert paths.toc_file() == REPO / "_toc.yml" and paths.benchmarks_dir() == REPO / "benchmarks"


def test_the_environment_points_elsewhere_at_call_time(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.json").write_bytes((REPO / "data" / "book_tebd.json").read_bytes())
    monkeypatch.setenv(paths.ROOT_ENV, str(tmp_path))
    assert paths.data_dir() == tmp_path / "data"
    assert book_dataset("mine").provenance["config_file"]
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "elsewhere"))
    with pytest.raises(FileNotFoundError, match="set MBL_OPEN_DATA_DIR"):
        book_dataset("mine")
    with pytest.raises(FileNotFoundError, match="the book directory .* does not exist.*MBL_OPEN_ROOT"):
        paths.book_dir()
