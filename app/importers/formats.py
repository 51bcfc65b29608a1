"""Every format Demarche imports, declared once in the registry (app/importers/registry.py):
name, suffixes, sniff, options and reader. The order is the order of the lists (help,
dialog filters, README) and breaks ties between equally sure sniffs."""

from __future__ import annotations

import re

from app.exporters import csvtables as own_tables
from app.importers import acled, events, spreadsheet
from app.importers import tables as tables_reader
from app.importers.base import key
from app.importers.registry import (
    CLOSE,
    LIKELY,
    NO,
    SURE,
    Importer,
    Options,
    ReadAs,
    Source,
    register,
)

TEXT_TABLES = (".csv", ".tsv", ".txt", ".tab")
WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")


def _table_of(source: Source, b, options: Options | None = None):
    """The rows of a table file, each row left out before reading reported. Read once
    (`options.keep_rows` false: the command line), a CSV file's rows come as they are
    parsed, and each goes once read: the file is never held whole."""
    if not source.is_workbook and source.note:
        b.approximated("1", source.note)
    if options is not None and not options.keep_rows:
        table = source.stream(b.skip)
    else:
        table = source.table
    b.row_shifts = table.row_shifts
    for row, why in table.skipped:
        b.skip(row, why)
    return table


def _suffix(source: Source, suffixes: tuple[str, ...]) -> int:
    return CLOSE if source.suffix in suffixes else NO


# ---------------------------------------------------------------- tables


def _csv_sniff(source: Source) -> int:
    if source.is_workbook or len(source.header) < 2:
        return _suffix(source, TEXT_TABLES)
    return LIKELY if source.suffix in TEXT_TABLES else CLOSE


def _csv_table(table, b, options: Options) -> ReadAs:
    own = own_tables.kind_of(table[0]) if not options.columns else None
    if own:
        tables_reader.read(own, table, b)
        return ReadAs("csv", f"Demarche's {own} table")
    spreadsheet.read(table, b, options.columns, options.month_first)
    return ReadAs("csv", by_columns=True)


def _table_format(name: str, read_table) -> callable:
    def read(source: Source, b, options: Options) -> ReadAs:
        return _as_workbook(source, read_table(_table_of(source, b, options), b, options))

    read.table = read_table
    return read


def _as_workbook(source: Source, read_as: ReadAs) -> ReadAs:
    if source.is_workbook:
        detail = f"a workbook: {read_as.detail}" if read_as.detail else "a workbook"
        return ReadAs(read_as.format, detail, read_as.by_columns)
    return read_as


register(
    Importer(
        "csv",
        "Table of events: CSV or TSV, Demarche's own tables too",
        TEXT_TABLES,
        "a header row (columns found by name, or --map)",
        _csv_sniff,
        _table_format("csv", _csv_table),
        frozenset({"columns", "month_first"}),
        table=True,
    )
)


def _acled_table(table, b, options: Options) -> ReadAs:
    acled.read(table, b)
    return ReadAs("acled")


def _acled_read(source: Source, b, options: Options) -> ReadAs:
    table = _table_of(source, b, options)
    again = None
    # A large file streamed (the command line's): a helper process may read it too.
    if options.ahead and not source.is_workbook and "table" not in source.__dict__:
        if source.stamp is not None and source.stamp[1] >= acled.AHEAD_BYTES:
            again = source.stream  # (a new stream each call: the file read anew)
    acled.read(table, b, again)
    return _as_workbook(source, ReadAs("acled"))


_acled_read.table = _acled_table


register(
    Importer(
        "acled",
        "ACLED export",
        (".csv", ".xlsx"),
        "the columns event_id_cnty, event_date, actor1, sub_event_type, notes",
        lambda s: SURE if acled.looks_like(s.header) else NO,
        _acled_read,
        table=True,
    )
)


def _icews_table(table, b, options: Options) -> ReadAs:
    events.read_icews(table, b)
    return ReadAs("icews")


register(
    Importer(
        "icews",
        "ICEWS coded events",
        (".tab", ".tsv", ".csv"),
        "the columns Event ID, Event Date, Source Name, CAMEO Code, Target Name",
        lambda s: SURE if events.looks_like_icews(s.header) else NO,
        _table_format("icews", _icews_table),
        table=True,
    )
)


def _gdelt_read(source: Source, b, options: Options) -> ReadAs:
    events.read_gdelt(source.text, b)
    return ReadAs("gdelt")


register(
    Importer(
        "gdelt",
        "GDELT 2.0 events",
        (".csv", ".tsv", ".txt"),
        "61 tab-separated columns, the second a date YYYYMMDD",
        lambda s: SURE if events.looks_like_gdelt(s.first_line) else NO,
        _gdelt_read,
    )
)


# ---------------------------------------------------------------- JSON and text


def _json_start(source: Source) -> str:
    return source.head.lstrip()[:4000]


def _timelinejs_sniff(source: Source) -> int:
    start = _json_start(source)
    if start.startswith("{") and ('"events"' in start or '"eras"' in start):
        return SURE
    # (Its reader is loaded only for a header that may be its sheet's: both kinds of sheet
    # have a Headline column.)
    if "headline" in map(key, source.header) and _timelinejs().looks_like_sheet(source.header):
        return SURE
    return _suffix(source, (".json",))


def _timelinejs():
    """The TimelineJS reader, loaded when first needed (as the Markwhen and Timeline
    readers are: an import of another format, such as 100,000 ACLED rows on the command
    line, does not wait for them, 0.03-0.1 s)."""
    from app.importers import timelinejs

    return timelinejs


def _timelinejs_read(source: Source, b, options: Options) -> ReadAs:
    timelinejs = _timelinejs()
    if source.is_workbook or not source.text.lstrip().startswith(("{", "[")):
        timelinejs.read_sheet(_table_of(source, b), b)
        return _as_workbook(source, ReadAs("timelinejs", "sheet"))
    timelinejs.read_json(source.text, b)
    return ReadAs("timelinejs")


register(
    Importer(
        "timelinejs",
        "TimelineJS: its JSON or its sheet",
        (".json", ".csv", ".xlsx"),
        "a JSON object with `events` or `eras`; a sheet with Year and Headline columns",
        _timelinejs_sniff,
        _timelinejs_read,
    )
)

_PLOVER_KEYS = re.compile(r'"(recipient|target|eventText|actor)"\s*:')


def _plover_sniff(source: Source) -> int:
    start = _json_start(source)
    if start.startswith(("[", "{")) and len(set(_PLOVER_KEYS.findall(start))) >= 2:
        return SURE
    return _suffix(source, (".json", ".jsonl"))


def _plover_read(source: Source, b, options: Options) -> ReadAs:
    events.read_plover(source.text, b, options.link_outcomes)
    return ReadAs("plover")


register(
    Importer(
        "plover",
        "PLOVER coded events, JSON: requests become demands",
        (".json", ".jsonl", ".txt"),
        "JSON records with `actor` and `recipient` (or `target`, `eventText`)",
        _plover_sniff,
        _plover_read,
        frozenset({"link_outcomes"}),
    )
)

_MW_LINE = re.compile(
    r"(?m)^(?:\d{4}(?:-\d\d){0,2}|[A-Z][a-z]{2,8} \d{1,2},? \d{4})[^:\n]{0,60}: \S"
)


def _markwhen_sniff(source: Source) -> int:
    if source.suffix == ".mw":
        return SURE
    head = source.head
    if not head or head.lstrip().startswith(("{", "[", "<")):
        return NO
    return (
        LIKELY if len(_MW_LINE.findall(head[:20000])) >= 2 and "," not in source.first_line else NO
    )


def _markwhen_read(source: Source, b, options: Options) -> ReadAs:
    if source.note:
        b.approximated("1", source.note)
    from app.importers import markwhen

    markwhen.read(source.text, b)
    return ReadAs("markwhen")


register(
    Importer(
        "markwhen",
        "Markwhen",
        (".mw",),
        "the suffix `.mw`, or lines `DATE: title`",
        _markwhen_sniff,
        _markwhen_read,
    )
)


def _timeline_sniff(source: Source) -> int:
    if source.suffix == ".timeline":
        return SURE
    return SURE if re.match(r"\s*(<\?xml[^>]*>\s*)?<timeline>", source.head) else NO


def _timeline_read(source: Source, b, options: Options) -> ReadAs:
    from app.importers import timelinexml

    timelinexml.read(source.text, b)
    return ReadAs("timeline")


register(
    Importer(
        "timeline",
        "Timeline XML, thetimelineproj",
        (".timeline",),
        "the suffix `.timeline`, or a `<timeline>` XML root",
        _timeline_sniff,
        _timeline_read,
    )
)


# ---------------------------------------------------------------- workbooks


def _workbook_sniff(source: Source) -> int:
    if source.is_workbook:
        return LIKELY  # below the table formats that know its header
    return _suffix(source, WORKBOOKS)


def _workbook_read(source: Source, b, options: Options) -> ReadAs:
    """The first sheet, read as the table format its header shows (csv otherwise)."""
    if not source.is_workbook:
        from app.importers.base import ImportFailed

        raise ImportFailed("not a workbook (neither xlsx, ods nor xls inside)")
    table_formats = [imp for imp in IMPORTERS_IN_ORDER() if imp.table and imp.name != "csv"]
    for imp in table_formats:
        if imp.sniff(source) >= LIKELY:
            return imp.read(source, b, options)
    return _table_format("csv", _csv_table)(source, b, options)


def IMPORTERS_IN_ORDER():  # noqa: N802 - read late: the registry is filled above
    from app.importers.registry import IMPORTERS

    return list(IMPORTERS.values())


register(
    Importer(
        "xlsx",
        "Workbook: xlsx, ods or xls, the first sheet",
        WORKBOOKS,
        "a zip or OLE file; its first sheet is then read by its header",
        _workbook_sniff,
        _workbook_read,
        frozenset({"columns", "month_first"}),
    )
)
