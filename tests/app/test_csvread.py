"""The CSV rows split by str methods (app/importers/csvread.py) are csv.reader's: on text
of any shape (quotes anywhere, doubled or alone, cells over lines, carriage returns,
NUL, every delimiter), on tables written by csv.writer, and through an error (its
message and the line it names)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.importers.csvread import Reader
from app.importers.textread import csv_stream
from tests.examples import examples

DELIMITERS = st.sampled_from([",", ";", "\t", "|"])


def _lines(text: str) -> list[str]:
    """The lines a text file opened with newline="\\n" gives."""
    return io.StringIO(text, newline="\n").readlines()


def _read(reader) -> tuple:
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        return rows, str(exc), reader.line_num
    return rows, None, reader.line_num


def _same(text: str, delimiter: str) -> None:
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 20))
    expected = _read(csv.reader(_lines(text), delimiter=delimiter))
    assert _read(Reader(_lines(text), delimiter)) == expected


@settings(max_examples=examples(2000))
@given(st.text(alphabet='a,;\t|" \r\n\0é', max_size=40), DELIMITERS)
@example('a,"b,c",d\n"e""f",g\n', ",")
@example('"a"b,c\n', ",")
@example('x,"a\nb",y\nz\n', ",")
@example('a,b\r\nc,"d"\r\n', ",")
@example("\n\r\n", ",")
@example('a\rb,c\n"', ",")
@example('"a",,"b",\n,"c"\n', ",")
def test_any_text_is_read_as_csv_reader_reads_it(text, delimiter):
    _same(text, delimiter)


cells = st.text(alphabet='ab ,;"\n\r\té', max_size=8)


@settings(max_examples=examples(500))
@given(st.lists(st.lists(cells, min_size=1, max_size=6), max_size=6), DELIMITERS)
def test_tables_written_by_csv_writer_are_read_as_csv_reader_reads_them(rows, delimiter):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    _same(out.getvalue(), delimiter)


def test_an_error_names_the_line_csv_reader_names():
    text = 'a,b\n"c\nd"e,f\n"g\rh",i\nj\rk,l\n'
    rows, error, line = _read(Reader(_lines(text), ","))
    assert error and "new-line" in error and line == 5
    assert rows == [["a", "b"], ["c\nde", "f"], ["g\rh", "i"]]
    skipped = []
    header, body = csv_stream(_lines(text), lambda row, why: skipped.append(row))
    try:
        list(body)
    except Exception as exc:  # ImportFailed, with the line
        assert str(exc).startswith("line 5: not readable as CSV")
    else:
        raise AssertionError("no error")


@given(st.text(alphabet='a,"\n\r', max_size=30))
@example('a,b\nc,"d')
@example('a,b\nc,"d\n')
def test_a_quote_left_open_to_the_end_is_told_by_the_line_it_opens_on(text):
    """csv.reader reads the rest of the text into a quoted cell never closed, and says
    nothing; the reader says where it opened whenever csv.reader's strict mode finds
    the text ends inside a quoted cell: on the last line too (it was not told there)."""
    reader = Reader(_lines(text), ",")
    _read(reader)
    strict = _read(csv.reader(_lines(text), strict=True))[1]
    if strict == "unexpected end of data":
        assert reader.unclosed
    if reader.unclosed:
        assert strict is not None and '"' in _lines(text)[reader.unclosed - 1]


@pytest.mark.parametrize(
    "text, line",
    [
        ('title,when,actor,text\nA,2023-01-01,X,"never closed\nB,2023-01-02,X,ok\n', 2),
        ('title,when,actor,text\nA,2023-01-01,X,ok\nB,2023-01-02,X,"never closed\n', 3),
        ('title,when,actor,text\nA,2023-01-01,X,ok\nB,2023-01-02,X,"never closed', 3),
        ('title,when,actor,text\r\nA,2023-01-01,X,ok\r\nB,2023-01-02,X,"never\r\n', 3),
    ],
)
def test_an_unclosed_quote_stops_an_import_with_its_line(tmp_path, text, line):
    """On the last line too: it was read as a cell and the import went on."""
    from app.importers import ImportFailed, import_files

    path = tmp_path / "open.csv"
    path.write_bytes(text.encode())
    with pytest.raises(
        ImportFailed, match=f"open.csv: line {line}: a quoted cell opened on this line"
    ):
        import_files([str(path)])
