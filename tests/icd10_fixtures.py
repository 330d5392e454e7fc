"""Fixtures the ICD-10-CM index tests share (test_icd10_cache.py, test_icd10_stamp.py): the library's rows
and one index file built from them, once per module (importing simple_icd_10_cm takes seconds)."""
from __future__ import annotations

from pathlib import Path

import pytest

from vertical_packs.healthcare import icd10_store as store

E11_65 = "Type 2 diabetes mellitus with hyperglycemia"


@pytest.fixture(scope="module")
def rows():
    """The library's rows, read once for the module."""
    return store.rows_from_library()


@pytest.fixture(scope="module")
def built(rows, tmp_path_factory) -> Path:
    """One index file built for the module; tests damage copies of it."""
    return store.build_file(tmp_path_factory.mktemp("built"), rows)
