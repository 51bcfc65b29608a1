"""A project whose lines end in CR LF (saved on Windows, or checked out by git with
autocrlf) keeps them through every save and every rewrite in place, so that a diff shows
only what changed; a new file's lines end in LF. Such a file is read as fast as any."""

from __future__ import annotations

import dataclasses
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from app.cli.main import main
from app.editing import edits
from app.editing.document import Document
from app.editing.session import Session
from app.fileformat import parsecache, projectfile
from app.fileformat.atomic import line_end_of, write_atomic
from app.records.demandstore import DemandStore
from app.records.eventstore import EventStore
from tests.app.strategies import projects


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def only_crlf(raw: bytes) -> bool:
    """Every line ends in CR LF, and no CR stands elsewhere."""
    return raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r") > 0


@pytest.fixture
def windows_file(tmp_path, small_project):
    path = tmp_path / "talks.yaml"
    path.write_bytes(crlf("# made on Windows\n" + projectfile.dumps(small_project)))
    return path


def test_the_first_line_says_how_a_file_ends_its_lines(tmp_path):
    for raw, end in [
        (b"a\r\nb\r\n", b"\r\n"),
        (b"a\nb\r\n", b"\n"),  # the first line decides
        (b"a\r\nb\n", b"\r\n"),
        (b"no line end", b"\n"),
        (b"", b"\n"),
        (b"\r\n", b"\r\n"),
    ]:
        (tmp_path / "f").write_bytes(raw)
        assert line_end_of(tmp_path / "f") == end, raw
    assert line_end_of(tmp_path / "missing") == b"\n"


def test_the_atomic_writer_takes_the_line_ends_of_the_file_it_is_told(tmp_path):
    target, link = tmp_path / "t.yaml", tmp_path / "link.yaml"
    target.write_bytes(b"old\r\n")
    link.symlink_to(target)
    write_atomic(link, b"a\nb\n", line_ends_from=link)  # through the link, to its file
    assert target.read_bytes() == b"a\r\nb\r\n" and link.is_symlink()

    def pieces(write):  # a save hands views of a store's bytes
        write(memoryview(b"c\nd"))
        write(b"\n")

    write_atomic(target, pieces, line_ends_from=target)
    assert target.read_bytes() == b"c\r\nd\r\n"
    write_atomic(tmp_path / "new.yaml", b"a\n", line_ends_from=tmp_path / "new.yaml")
    assert (tmp_path / "new.yaml").read_bytes() == b"a\n"  # a new file: LF
    write_atomic(target, b"a\n")  # not asked (pictures, pages): as given
    assert target.read_bytes() == b"a\n"


def test_a_crlf_project_is_read_by_the_fast_reader_into_columns(windows_file, small_project):
    project = projectfile.load(windows_file)
    assert isinstance(project.events, EventStore) and isinstance(project.demands, DemandStore)
    assert project == dataclasses.replace(small_project, preamble="# made on Windows\n")


def test_a_lone_cr_still_goes_to_the_full_reader(tmp_path, small_project):
    path = tmp_path / "odd.yaml"
    raw = crlf(projectfile.dumps(small_project))
    # CR then CR LF: two line breaks to YAML, which CR LF made LF would make one.
    path.write_bytes(raw.replace(b'title: "Talks"', b'title: "Ta\r\r\n  lks"'))
    assert projectfile.load(path).title == "Ta\nlks"


def test_a_crlf_project_edited_and_saved_is_crlf_and_reads_back(windows_file):
    session = Session(Document(projectfile.load(windows_file)))
    session.doc.path = str(windows_file)
    doc = session.doc
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "title", "Two freed"))
    session.save()
    raw = windows_file.read_bytes()
    assert only_crlf(raw) and raw.startswith(b"# made on Windows\r\n")
    assert b'title: "Two freed"\r\n' in raw
    again = projectfile.load(windows_file)
    assert again == doc.project and isinstance(again.events, EventStore)
    projectfile.save(again, windows_file)  # saved again unchanged: the same bytes
    assert windows_file.read_bytes() == raw
    assert only_crlf((tmp := windows_file.with_suffix(".yaml.bak")).read_bytes()), tmp


def test_save_as_a_new_file_is_lf(windows_file, tmp_path):
    session = Session(Document(projectfile.load(windows_file)))
    session.save(str(tmp_path / "copy.yaml"))
    assert b"\r" not in (tmp_path / "copy.yaml").read_bytes()


def test_a_crlf_project_comes_back_from_the_parse_cache(windows_file, tmp_path, monkeypatch):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(parsecache, "MIN_BYTES", 0)
    first = projectfile.load(windows_file)
    assert projectfile.load(windows_file) == first  # read, then kept
    monkeypatch.setattr(projectfile, "loads_bytes", lambda *a: pytest.fail("parsed again"))
    cached = projectfile.load(windows_file)
    assert cached == first and isinstance(cached.events, EventStore)
    projectfile.save(cached, windows_file)
    assert only_crlf(windows_file.read_bytes())


def test_the_command_lines_rewrites_in_place_keep_crlf(windows_file, tmp_path, small_project):
    before = windows_file.read_bytes()
    assert main(["export", str(windows_file), "-o", str(windows_file)]) == 0
    assert windows_file.read_bytes() == before  # canonical already: not a byte changed
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("actor,title,when\nHamas,Talks resume,2023-11-30\n")
    assert main(["import", str(sheet), "--into", str(windows_file), "-o", str(windows_file)]) == 0
    raw = windows_file.read_bytes()
    assert only_crlf(raw) and b"Talks resume" in raw
    assert main(["export", str(windows_file), "-o", str(tmp_path / "new.yaml")]) == 0
    assert b"\r" not in (tmp_path / "new.yaml").read_bytes()


def test_a_merge_ends_its_lines_as_ours_did(tmp_path, small_project):
    base, ours, theirs = (tmp_path / f"{n}.yaml" for n in ("base", "ours", "theirs"))
    text = projectfile.dumps(small_project)
    base.write_text(text)
    ours.write_bytes(crlf(text.replace('title: "Talks"', 'title: "Our talks"')))
    theirs.write_text(text.replace('"Hamas releases two women"', '"Two women freed"'))
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    raw = ours.read_bytes()
    assert only_crlf(raw) and b"Our talks" in raw and b"Two women freed" in raw
    # Ours in LF, theirs in CR LF: ours decides.
    ours.write_text(text)
    theirs.write_bytes(crlf(text.replace('title: "Talks"', 'title: "Their talks"')))
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    assert b"\r" not in ours.read_bytes() and b"Their talks" in ours.read_bytes()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_any_project_written_with_crlf_reads_as_the_full_reader_reads_it(project):
    """The fast reader takes a CR LF file as LF (projectfile._lf): held to PyYAML's reading
    of the CR LF bytes themselves (the full reader, asked for its warnings) and to the
    project written, on generated projects (texts with quotes, escapes, CRs of their own)."""
    raw = crlf(projectfile.dumps(project))
    fast = projectfile.loads_bytes(raw)
    assert fast == read_by_pyyaml(raw) == project
    assert projectfile.loads_bytes(raw, warnings=[]) == project  # `validate`'s reading


def read_by_pyyaml(raw: bytes):
    """The full reader's reading of the bytes: the fast readers refuse them."""
    with (
        mock.patch.object(projectfile, "read_fast_bytes", lambda *_: None),
        mock.patch.object(projectfile, "read_fast", lambda *_: None),
        mock.patch.object(projectfile, "read_any", lambda *_: None),
    ):
        return projectfile.loads_bytes(raw, warnings=[])


def test_validate_reads_a_crlf_file_fast_and_places_its_warnings_as_in_its_lf_copy(
    tmp_path, small_project, capsys, monkeypatch
):
    """`validate` reads a CR LF file as LF, as an opening does: its warnings (here an event
    whose own actor is also among those with it) on the same lines and columns."""
    small_project.events[1] = dataclasses.replace(small_project.events[1], with_=("cia",))
    text = "# made on Windows\n" + projectfile.dumps(small_project)
    (tmp_path / "lf.yaml").write_text(text)
    (tmp_path / "crlf.yaml").write_bytes(crlf(text))
    said = {}
    for name in ("lf.yaml", "crlf.yaml"):
        assert main(["validate", str(tmp_path / name)]) == 0
        said[name] = capsys.readouterr().out.replace(str(tmp_path / name), "FILE")
    assert said["crlf.yaml"] == said["lf.yaml"]
    assert "FILE:" in said["lf.yaml"] and "own actor" in said["lf.yaml"]
    refused = mock.Mock(side_effect=AssertionError("read by PyYAML"))
    monkeypatch.setattr(projectfile, "read_any", refused)
    monkeypatch.setattr(projectfile, "_read_located", refused)
    assert main(["validate", str(tmp_path / "crlf.yaml")]) == 0
    assert capsys.readouterr().out.replace(str(tmp_path / "crlf.yaml"), "FILE") == said["lf.yaml"]
