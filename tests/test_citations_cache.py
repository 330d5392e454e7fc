"""legal.extract_citations' court table: courts-db's names normalised once and kept in the pack's cache folder,
so a later process neither loads courts-db's JSON nor normalises ~2,800 names; the answers do not change.
The folder is the user's to write: an edited or truncated table is detected and rebuilt."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vertical_packs.legal import citations

ROOT = Path(__file__).resolve().parent.parent


def test_cached_table_equals_normalising_every_court(tmp_path):
    expected = citations._normalise_all()
    assert citations._normalised_courts(tmp_path) == expected  # built
    assert citations._normalised_courts(tmp_path) == expected  # reused
    assert len(list(tmp_path.glob("courts-*.sqlite"))) == 1


@pytest.mark.parametrize("damage", ["edited", "truncated"])
def test_an_edited_or_truncated_table_is_rebuilt(tmp_path, damage):
    expected = citations._normalised_courts(tmp_path)
    (path,) = tmp_path.glob("courts-*.sqlite")
    if damage == "edited":  # every court becomes the Supreme Court, in an otherwise valid file
        db = sqlite3.connect(path)
        db.execute("UPDATE court SET id = 'scotus'")
        db.commit()
        db.close()
    else:
        os.truncate(path, path.stat().st_size // 2)
    assert citations._normalised_courts(tmp_path) == expected
    assert [p.name for p in tmp_path.glob("courts-*.sqlite")] == [path.name]  # the same content again


def test_an_unwritable_folder_still_finds_courts(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")
    assert citations._normalised_courts(blocked) == citations._normalise_all()


def test_a_new_process_uses_the_table_and_never_loads_courts_db(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from vertical_packs.legal.citations import find_citations
        found, _ = find_citations("bob lissner v. test 1 U.S. 12, 347-348 (4th Cir. 1982)", Path({str(tmp_path)!r}))
        print(found[0].court, type(vars(sys.modules["courts_db"])["courts"]).__name__)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
            for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    # the first run built the table (loading courts-db to do it); the second read the table only
    assert runs[0].stdout.split()[0] == "ca4" and runs[1].stdout.split() == ["ca4", "_CourtsOnDemand"]
