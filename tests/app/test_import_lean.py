"""What keeps a big import (100,000 ACLED rows: tests/bench/acled.py) within its time,
each held to what it replaced: no module loaded that the import does not need (Qt took
0.25 s of the run for a palette), the file written as it is made."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.cli.main import main
from app.fileformat import projectfile
from app.importers import ImportFailed, canonical_bytes, textread, write_canonical
from tests.app.strategies import projects
from tests.bench.acled import HEADER, rows
from tests.examples import scaled


def test_an_import_from_the_command_line_loads_no_qt(tmp_path):
    path = tmp_path / "acled.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows(50)])
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['import', {str(path)!r}, '-o', {str(tmp_path / 'out.yaml')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'app.chart'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert "\nactors:\n  - id: " in (tmp_path / "out.yaml").read_text()  # lanes made, coloured


def test_the_command_line_loads_the_context_data_only_for_its_own_verbs():
    """`demarche context` reads datasets through DuckDB (app.context.summary, 0.1-0.25 s
    to load with numpy): every other command, an import first, starts without it."""
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        "print(sorted(m for m in sys.modules if m.startswith(('duckdb', 'app.context.summary'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_validate_diff_and_merge_start_without_the_readers_of_imports_or_context_data(
    tmp_path, small_project
):
    """git starts a driver once a file: `validate`, `diff` and `merge` load neither the
    readers of every import format nor the context data (about 70 ms of each start)."""
    example = tmp_path / "talks.yaml"
    projectfile.save(small_project, example)
    sides = [str(shutil.copy(example, tmp_path / name)) for name in ("base", "ours", "theirs")]
    lazy = ("app.importers", "app.context", "app.cli.importing", "app.cli.context")
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['validate', {str(example)!r}]) == 0\n"
        f"assert main(['diff', {str(example)!r}, {sides[1]!r}]) == 0\n"
        f"assert main(['merge', *{sides!r}]) == 0\n"
        f"print(sorted(m for m in sys.modules if m.startswith({lazy!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1:] == ["[]"], done.stderr


@settings(max_examples=scaled(40), deadline=None)
@given(projects(), st.integers(0, 4000))
def test_the_file_written_as_it_is_made_is_the_canonical_bytes(project, limit):
    """The command line writes the file as it is made (never held whole): the same bytes,
    refused alike when too large, and nothing past the limit handed on."""
    written = bytearray()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(projectfile, "MAX_FILE_BYTES", limit)
        try:
            whole = canonical_bytes(project)
        except ImportFailed as exc:
            with pytest.raises(ImportFailed) as streamed:
                write_canonical(project, written.extend)
            assert str(streamed.value) == str(exc) and len(written) <= limit
        else:
            write_canonical(project, written.extend)
            assert written == whole


def test_a_read_only_target_is_refused_before_any_record_is_written(tmp_path, capsys):
    path = tmp_path / "acled.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows(20)])
    out = tmp_path / "out.yaml"
    out.write_text("kept\n")
    out.chmod(0o444)
    assert main(["import", str(path), "-o", str(out)]) == 3
    assert "read-only" in capsys.readouterr().err and out.read_text() == "kept\n"
    assert main(["import", str(path), "-o", str(out), "--force"]) == 0
    assert projectfile.load(str(out)).events[0].id == "yem0"


@pytest.mark.parametrize("cut", [b"\xc3", b"\xe2\x80"])
def test_a_character_left_unfinished_before_an_ascii_chunk_is_not_utf_8(tmp_path, cut):
    """ASCII chunks are not decoded: unless a character begun before them waits for its
    end, which ASCII does not give (not even when the chunk after it does)."""
    head = b"actor,title,when\n"
    head += b"A," + b"x" * (textread.CHUNK - len(head) - 2 - len(cut)) + cut
    ascii_chunk = b",2023\n" + b"A,Talks,2023\n" * (textread.CHUNK // 13)
    ascii_chunk += b"A," + b"y" * (textread.CHUNK - len(ascii_chunk) - 2)
    end = b"\xa9,2023\n"  # the byte that finishes the character cut (é, or U+2029)
    assert len(head) == len(ascii_chunk) == textread.CHUNK
    path = tmp_path / "a.csv"
    path.write_bytes(head + ascii_chunk + end)
    assert textread.check_text(str(path)).encoding == "cp1252"
    path.write_bytes(head[: -len(cut)] + b"y" * len(cut) + ascii_chunk + b"A,T\xc3\xa9,2023\n")
    assert textread.check_text(str(path)).encoding == "utf-8-sig"


@settings(max_examples=scaled(60), deadline=None)
@given(
    st.lists(st.sampled_from([b"\n", b"a", b"\r\n", b"\xc3"]), max_size=80).map(b"".join),
    st.integers(0, 120),
)
def test_a_nul_is_found_at_its_line_counted_only_then(tmp_path_factory, text, at):
    """The lines are counted only once a NUL is found (reading again up to it): its line
    is the one its line feeds say, whichever chunk it is in."""
    at = min(at, len(text))
    data = text[:at] + b"\x00" + text[at:]
    assume(not data.startswith((b"\xff\xfe", b"\xfe\xff")))  # UTF-16: NUL bytes are its own
    path = tmp_path_factory.mktemp("nul") / "a.csv"
    path.write_bytes(data)
    line = data[:at].count(b"\n") + 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(textread, "CHUNK", 16)
        with pytest.raises(ImportFailed, match=f"^line {line}: binary"):
            textread.check_text(str(path))


def test_a_chosen_text_is_quoted_once_for_all_the_records_that_repeat_it():
    """An event's type is one of a few: quoted once (remembered), not once a record; the
    same text as the quoting of any text (tests/app/test_recordtext.py)."""
    from app.fileformat import canonical
    from app.records.model import Event, Project
    from app.records.when import parse

    events = [  # (dates of their own: each quoted once too, by the same remembering quote)
        Event(id=f"e{i}", actor="a", title="t", when=parse(f"{1900 + i}"), type="clash")
        for i in range(50)
    ]
    canonical._quote_repeated.cache_clear()
    text = canonical.dumps(Project(title="", events=events))
    assert text.count('\n    type: "clash"\n') == 50
    assert canonical._quote_repeated.cache_info().hits >= 49
