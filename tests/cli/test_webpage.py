"""The offline web page (`demarche export FILE -o OUT.html`), loaded from a file:// URL in
Debian's chromium through its chromium-driver (`make deps` installs both; these tests are
not skipped without them): marks in view, hover, zoom, search, no request, no console
error, and markup in the data shown as text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from app.chart.layout import LANE_PADDING
from app.cli.main import main
from app.exporters import webpage
from app.exporters.webpage import WebPage
from app.fileformat import projectfile
from app.records.model import Actor, Event, Project, Source
from app.records.when import parse
from tests.bench.generate import generate
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "projects" / "hostage-talks-2023.yaml"
MARKUP = '<script>alert("t")</script><img src=x onerror=alert(2)> & "quoted"'


@pytest.fixture(scope="module")
def browser():
    try:
        driver = chromium(logs=True)
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    yield driver
    driver.quit()


def until(browser, condition, timeout: float = 5):
    """Waits for a condition of the page, asked every 20 ms (selenium's default of 0.5 s
    was most of some of these tests' time)."""
    return WebDriverWait(browser, timeout, poll_frequency=0.02).until(condition)


def pointer(browser) -> ActionChains:
    """The mouse, moved at once: selenium's default spends 250 ms on each move."""
    return ActionChains(browser, duration=0)


def open_page(browser, path: Path) -> None:
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    browser.set_window_size(1400, 900)
    browser.get_log("performance")  # what earlier pages left
    browser.get_log("browser")
    browser.get(path.as_uri())
    until(browser, timeout=20, condition=lambda b: b.execute_script("return !!window.demarche"))
    # The hit areas are drawn at the next animation frame: after two, they are there (a
    # test reading them at once failed on a busy machine).
    browser.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")


def requests_made(browser) -> list[str]:
    out = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            out.append(message["params"]["request"]["url"])
    return out


def console_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def view(browser) -> dict:
    """What is in sight, once the page has drawn its next frame."""
    browser.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")
    return browser.execute_script("return window.demarche.view()")


def hit_ids(browser, kind: str = "e") -> list[str]:
    return browser.execute_script(
        "const d = JSON.parse(document.getElementById('data').textContent);"
        f"return [...document.querySelectorAll('.hit.{kind}')]"
        ".map(r => (r.dataset.kind === 'e' ? d.events : d.demands)[+r.dataset.i].id);"
    )


def areas_out_of_sight(browser, v: dict) -> int:
    """How many hit areas lie wholly outside the plot px in sight (a pan keeps the areas
    that stay in sight: after a zoom, an area kept from the level before would)."""
    return browser.execute_script(
        "const v = arguments[0];"
        "return [...document.querySelectorAll('.hit')].filter(r => {"
        "  const b = r.getBBox();"
        "  return b.x + b.width < v.x0 - 1 || b.x > v.x1 + 1 || b.y + b.height < v.y0 - 1"
        "    || b.y > v.y1 + 1; }).length;",
        v,
    )


def ids_in_view(project: Project, v: dict) -> set[str]:
    """The events whose dates overlap the time in sight and whose row the lanes in sight,
    worked out here from the layout the page was made from."""
    layout = WebPage(project).layout
    out = set()
    for i, data in enumerate(layout.lane_events):
        y = layout.lanes[i].top + LANE_PADDING + data.row * layout.row_height
        seen = (
            (data.lo <= v["t1"])
            & (data.hi >= v["t0"])
            & (y + layout.row_height >= v["y0"])
            & (y <= v["y1"])
        )
        out |= {data.events[j].id for j in np.flatnonzero(seen)}
    return out


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory, qapp):
    out = tmp_path_factory.mktemp("page") / "talks.html"
    assert main(["export", str(BUNDLED), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory, qapp):
    """3,000 events in 50 lanes, with the first two zoom levels only: its test looks at no
    other (the levels after them are the widest, most of the painting and of the page's
    size; the `wide` page has three). Big enough: about a tenth of them in view, lanes
    taller than the window, more rows than the tables show at first; 10,000 cost the
    browser 2.1 s of CPU to open, this 0.9 s (tests/bench/page.py times the 10,000)."""
    project = generate(3_000)
    out = tmp_path_factory.mktemp("big") / "big.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(webpage, "MOST_LEVELS", 2)
        WebPage(project).write(str(out))
    return project, out


@pytest.fixture(scope="module")
def wide(tmp_path_factory, qapp):
    """The same two years as `big`, so the same widths at each zoom level, with a tenth of
    its events: the browser swaps each level's pictures in a tenth of the time. The three
    levels its test zooms through only."""
    out = tmp_path_factory.mktemp("wide") / "wide.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(webpage, "MOST_LEVELS", 3)
        WebPage(generate(300)).write(str(out))
    return out


def test_the_bundled_page_is_small_draws_what_is_in_view_and_fetches_nothing(browser, bundled_page):
    assert bundled_page.stat().st_size <= 1_000_000
    open_page(browser, bundled_page)
    project = projectfile.load(BUNDLED)
    v = view(browser)
    shown = hit_ids(browser)
    assert len(shown) == len(set(shown))
    assert set(shown) == ids_in_view(project, v) and shown
    browser.find_element(By.ID, "zoom-in").click()
    v = view(browser)
    browser.execute_script("document.getElementById('chart').scrollLeft = 10000")
    until(browser, lambda b: view(b)["t1"] > v["t1"])
    later = view(browser)
    assert set(hit_ids(browser)) == ids_in_view(project, later)
    assert requests_made(browser) == [bundled_page.as_uri()]
    assert console_errors(browser) == []
    body = browser.find_element(By.TAG_NAME, "body").text
    assert project.title in body and "Reuters reporting, Oct–Nov 2023" in body  # footer


def test_the_whole_span_fits_a_laptops_window_at_first(browser, bundled_page):
    """At 1,400 px the first level was wider than the window: it opened on 4 Oct – 27 Nov,
    the last day behind a scroll bar."""
    open_page(browser, bundled_page)
    browser.set_window_size(1280, 800)
    chart = "document.getElementById('chart')"
    assert browser.execute_script(f"return {chart}.scrollWidth <= {chart}.clientWidth")
    project = projectfile.load(BUNDLED)
    v = view(browser)
    assert v["t0"] <= min(e.when.lo for e in project.events)
    assert v["t1"] >= max(e.when.hi for e in project.events)


def test_hovering_an_event_shows_its_title_date_and_sources(browser, bundled_page):
    open_page(browser, bundled_page)
    project = projectfile.load(BUNDLED)
    event = next(e for e in project.events if e.id == "us-official-warns")
    assert event.id in hit_ids(browser)
    index = browser.execute_script(
        "return JSON.parse(document.getElementById('data').textContent).events"
        f".findIndex(e => e.id === {json.dumps(event.id)})"
    )
    mark = browser.find_element(By.CSS_SELECTOR, f'.hit.e[data-i="{index}"]')
    pointer(browser).move_to_element(mark).perform()
    tip = browser.find_element(By.ID, "tip")
    until(browser, lambda b: tip.is_displayed())
    source = next(s for s in project.sources if s.id == event.cites[0].source)
    assert event.title in tip.text
    assert event.when.describe() in tip.text and event.when.text in tip.text
    assert source.title in tip.text and "credibility" in tip.text
    pointer(browser).move_by_offset(0, 400).perform()  # away, over no mark
    until(browser, lambda b: not tip.is_displayed())


def test_hovering_a_demand_arrow_shows_its_status_history(browser, bundled_page):
    open_page(browser, bundled_page)
    project = projectfile.load(BUNDLED)
    with_history = {d.id: d for d in project.demands if d.history}
    arrows = browser.find_elements(By.CSS_SELECTOR, ".hit.d")
    ids = hit_ids(browser, "d")
    k = next(k for k, i in enumerate(ids) if i in with_history)
    demand = with_history[ids[k]]
    browser.execute_script(
        "arguments[0].dispatchEvent(new PointerEvent('click', {bubbles: true}))", arrows[k]
    )
    tip = browser.find_element(By.ID, "tip")
    assert demand.text in tip.text and "History" in tip.text
    assert demand.history[-1].status in tip.text


def test_zoom_narrows_the_range_in_view_and_marks_follow(browser, bundled_page):
    open_page(browser, bundled_page)
    project = projectfile.load(BUNDLED)
    before = view(browser)
    browser.find_element(By.ID, "zoom-in").click()
    after = view(browser)
    assert after["level"] == 1
    assert (after["t1"] - after["t0"]) < (before["t1"] - before["t0"]) / 2
    assert set(hit_ids(browser)) == ids_in_view(project, after)
    assert browser.find_element(By.ID, "range").text != ""
    chart = browser.find_element(By.ID, "chart")
    chart.send_keys("-")  # keys work too
    assert view(browser)["level"] == 0
    browser.find_element(By.ID, "zoom-in").click()
    left = browser.execute_script("return arguments[0].scrollLeft", chart)
    axis = browser.find_element(By.ID, "axis")  # a drag on the chart, not on a mark, pans it
    pointer(browser).move_to_element(axis).click_and_hold().move_by_offset(
        -300, 0
    ).release().perform()
    assert browser.execute_script("return arguments[0].scrollLeft", chart) == pytest.approx(
        left + 300, abs=2
    )


def test_search_finds_a_title_highlights_it_and_filters_the_tables(browser, bundled_page):
    open_page(browser, bundled_page)
    project = projectfile.load(BUNDLED)
    box = browser.find_element(By.ID, "search")
    box.send_keys("al-shifa")
    wanted = [e for e in project.events if "al-shifa" in (e.title + e.text).lower()]
    assert wanted
    results = browser.find_element(By.ID, "result-list").text
    assert all(e.title in results for e in wanted)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert 0 < len(rows) < len(project.events)
    assert browser.find_elements(By.CSS_SELECTOR, ".hit.match")
    first = browser.find_element(By.CSS_SELECTOR, "#result-list button")
    title = first.text.split(" · ", 1)[1]
    first.click()
    assert title in browser.find_element(By.ID, "tip").text  # went to it
    box.send_keys("\ue00c")  # Escape clears the search
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")) == len(
        project.events
    )


def texts(browser, css: str) -> list[str]:
    """The text of each element `css` finds, in one call (not one `.text` call each)."""
    return browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim())", css
    )


def test_the_tables_sort_by_a_column(browser, bundled_page):
    open_page(browser, bundled_page)
    dates = "#events-table tbody tr td:first-child"
    first = texts(browser, dates)
    assert len(first) > 10 and all(first)
    browser.find_element(By.CSS_SELECTOR, "#events-table th button").click()  # Date, again
    assert texts(browser, dates) == first[::-1]


def test_markup_in_the_data_is_shown_as_text_and_never_runs(browser, tmp_path, qapp):
    project = Project(
        title=MARKUP,
        description="</script><script>alert(3)</script>",
        sources=[Source(id="s", title=MARKUP, url="javascript:alert(4)")],
        actors=[Actor(id="a", name=MARKUP)],
        events=[Event(id="e1", actor="a", title=MARKUP, when=parse("2023-11-20"), text=MARKUP)],
    )
    out = tmp_path / "markup.html"
    WebPage(project).write(str(out))
    open_page(browser, out)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.find_element(By.ID, "title").text == MARKUP
    assert browser.find_element(By.CSS_SELECTOR, "#events-table td button").text == MARKUP
    assert browser.execute_script("return document.querySelectorAll('body img').length") == 0
    assert browser.execute_script("return document.querySelectorAll('#sources a').length") == 0
    svg_text = browser.execute_script(
        "return [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')"
    )
    assert "<script>" in svg_text  # the lane name, drawn as text
    assert requests_made(browser) == [out.as_uri()]
    assert console_errors(browser) == []


def test_dark_phone_and_print_layouts(browser, bundled_page):
    open_page(browser, bundled_page)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    style = "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]"
    assert browser.execute_script(style, "body", "backgroundColor") == "rgb(21, 24, 29)"
    assert "invert" in browser.execute_script(style, "#picture svg", "filter")
    browser.set_window_size(390, 844)
    assert browser.execute_script(style, ".names", "position") == "static"
    assert browser.execute_script(style, "#events-table tbody tr", "display") == "block"
    assert browser.execute_script("return document.getElementById('chart').scrollWidth") > 390
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.execute_script(style, ".controls", "display") == "none"
    assert browser.execute_script(style, "#chart", "overflowX") == "visible"


def test_a_big_page_draws_what_is_in_view_as_it_pans_and_zooms(browser, big):
    project, page = big
    open_page(browser, page)
    assert console_errors(browser) == []
    for step in range(3):
        v = view(browser)
        shown = hit_ids(browser)
        assert set(shown) == ids_in_view(project, v) and len(shown) == len(set(shown))
        assert shown
        assert areas_out_of_sight(browser, v) == 0  # placed at this level's scale
        if step == 0:
            browser.find_element(By.ID, "zoom-in").click()
        else:
            browser.execute_script(
                "const c = document.getElementById('chart'); c.scrollLeft += 300; c.scrollTop += 300"
            )
        until(browser, lambda b, v=v: view(b)["t0"] > v["t0"])
    assert requests_made(browser) == [page.as_uri()]


def test_zooming_keeps_the_time_in_the_middle_in_the_middle(browser, wide):
    open_page(browser, wide)
    middle = []
    for level in (1, 2, 1, 0):  # out from a level wider than the next: the scroll is clamped
        browser.execute_script(f"window.demarche.setLevel({level})")
        v = view(browser)
        middle.append((v["t0"] + v["t1"]) / 2)
    day = 86400
    assert abs(middle[2] - middle[1]) < day and abs(middle[1] - middle[0]) < day


def test_the_page_allows_no_request_and_runs_only_its_own_script(bundled_page):
    import base64
    import hashlib
    import re

    html = bundled_page.read_text("utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)[1]
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["default-src"] == "'none'" and rules["base-uri"] == "'none'"
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1  # the page's own; the data and pictures are inert text
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert rules["script-src"] == f"'sha256-{digest}'"
    assert not re.search(r'\b(?:src|href)="', html)  # nothing to load, in the markup


def test_help_names_the_web_page(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert ".html writes the chart as one self-contained web page" in " ".join(
        capsys.readouterr().out.split()
    )


def test_the_page_picks_with_the_geometry_the_chart_draws_with(
    browser, tmp_path, qapp, monkeypatch
):
    """page.js has no sizes of its own: with other bar insets and grips in
    app/chart/metrics.py, its hit areas follow."""
    from app.chart import metrics

    script = (Path(__file__).parents[2] / "resources/page/page.js").read_text()
    assert "D.mark" not in script and "+ 3" not in script
    monkeypatch.setattr(metrics, "BAR_INSET", 7.0)
    monkeypatch.setattr(metrics, "MARK_GRIP", 12.0)
    project = Project(
        title="Geometry",
        actors=[Actor(id="a", name="A")],
        events=[
            Event(id="span", actor="a", title="A span", when=parse("2023-01-01/2023-01-20")),
            Event(id="day", actor="a", title="A day", when=parse("2023-02-10")),
        ],
    )
    out = tmp_path / "geometry.html"
    page = WebPage(project)
    page.write(str(out))
    assert page.records()["geometry"] == metrics.geometry()
    open_page(browser, out)
    boxes = browser.execute_script(
        "const d = JSON.parse(document.getElementById('data').textContent);"
        "return Object.fromEntries([...document.querySelectorAll('.hit.e')].map(r =>"
        " [d.events[+r.dataset.i].id, [+r.getAttribute('height'), +r.getAttribute('width')]]));"
    )
    rh = page.layout.row_height
    assert boxes["span"][0] == rh - 2 * 7.0
    assert boxes["day"] == [2 * 12.0, 2 * 12.0]


def test_the_pages_views_menu_and_the_links_in_its_tooltips(browser, tmp_path, qapp):
    from selenium.webdriver.support.ui import Select

    from app.records.model import View

    project = Project(
        title="Linked",
        actors=[Actor(id="a", name="Side A"), Actor(id="b", name="Side B")],
        events=[
            Event(id="strike", actor="a", title="Strike", when=parse("2023-11-20")),
            Event(
                id="halt",
                actor="b",
                title="Talks halted",
                when=parse("2023-11-22"),
                responds_to=("strike",),
            ),
        ],
        views=[View(id="b-only", title="Side B only", actors=("b",))],
    )
    out = tmp_path / "linked.html"
    WebPage(project).write(str(out))
    open_page(browser, out)
    Select(browser.find_element(By.ID, "views")).select_by_visible_text("Side B only")
    assert browser.find_element(By.ID, "result-list").text.endswith("Talks halted")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")) == 1
    Select(browser.find_element(By.ID, "views")).select_by_index(0)  # all again
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")) == 2
    index = browser.execute_script(
        "return JSON.parse(document.getElementById('data').textContent).events.findIndex(e => e.id === 'halt')"
    )
    pointer(browser).move_to_element(
        browser.find_element(By.CSS_SELECTOR, f'.hit.e[data-i="{index}"]')
    ).perform()
    tip = browser.find_element(By.ID, "tip")
    until(browser, lambda b: tip.is_displayed())
    assert "Answers Strike" in tip.text
    assert console_errors(browser) == []


def test_a_field_added_to_the_spec_shows_in_the_tooltip_and_the_table(
    browser, tmp_path, qapp, monkeypatch
):
    """The page's script names no field: what the tooltip and the tables show comes from
    the record spec, through the exported data."""
    import dataclasses

    from app.fileformat import spec

    @dataclasses.dataclass(slots=True, frozen=True, kw_only=True)
    class PlacedEvent(Event):
        place: str = ""

    place = spec.Field("place", "place", spec.TEXT, label="Venue")
    events = dataclasses.replace(spec.EVENTS, fields=(*spec.EVENTS.fields, place))
    monkeypatch.setitem(spec.BY_NAME, "events", events)
    project = Project(
        title="Placed",
        actors=[Actor(id="a", name="Side A")],
        events=[
            PlacedEvent(id="e", actor="a", title="Talks", when=parse("2023-11-20"), place="Doha")
        ],
    )
    out = tmp_path / "placed.html"
    WebPage(project).write(str(out))
    open_page(browser, out)
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#events-table th")]
    assert heads[-1] == "Venue"
    assert browser.find_elements(By.CSS_SELECTOR, "#events-table td")[-1].text == "Doha"
    pointer(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, ".hit.e")).perform()
    tip = browser.find_element(By.ID, "tip")
    until(browser, lambda b: tip.is_displayed())
    assert "Venue Doha" in tip.text
    box = browser.find_element(By.ID, "search")
    box.send_keys("doha")
    assert browser.find_element(By.ID, "result-list").text.endswith("Talks")
    assert console_errors(browser) == []


def test_a_date_column_of_the_tables_sorts_by_time_not_by_its_words(browser, tmp_path, qapp):
    from app.records.model import Demand

    def demand(i: str, resolved: str) -> Demand:
        return Demand(
            id=f"d{i}",
            from_="a",
            to="b",
            text=f"Demand {i}",
            raised=parse("2023-11-01"),
            status="accepted",
            resolved=parse(resolved),
        )

    project = Project(
        title="Resolved",
        actors=[Actor(id="a", name="Side A"), Actor(id="b", name="Side B")],
        demands=[demand("1", "2023-12-03"), demand("2", "2023-11-20"), demand("3", "2023-12-01")],
    )
    out = tmp_path / "resolved.html"
    WebPage(project).write(str(out))
    open_page(browser, out)
    heads = browser.find_elements(By.CSS_SELECTOR, "#demands-table th button")
    column = [h.text for h in heads].index("Resolved")
    heads[column].click()
    cells = browser.find_elements(
        By.CSS_SELECTOR, f"#demands-table tbody tr td:nth-child({column + 1})"
    )
    days = [c.text.split(" (")[0] for c in cells]  # "1 December 2023 (2023-12-01)"
    assert days == ["20 November 2023", "1 December 2023", "3 December 2023"]


def test_every_events_mark_takes_the_pointer_over_an_arrow_beside_it(browser, bundled_page):
    """Events' hit areas lie over demands', as the marks are painted over the arrows: at
    the first level, an arrow's area covered three marks of the bundled project."""
    open_page(browser, bundled_page)
    taken = browser.execute_script(
        "return [...document.querySelectorAll('.hit.e')].map(r => {"
        "  const b = r.getBoundingClientRect();"
        "  const at = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);"
        "  return at && at.dataset.kind; });"
    )
    assert taken and set(taken) == {"e"}


def test_a_hovers_tip_never_covers_the_mark_it_tells_of(browser, bundled_page):
    """Near the page's right edge the tip goes left of the pointer, and a hover's tip lets
    the pointer through: one put over the pointer hid itself at once."""
    open_page(browser, bundled_page)
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit.e")
    mark = max(marks, key=lambda m: m.rect["x"])  # the rightmost: its tip would run off
    pointer(browser).move_to_element(mark).perform()
    tip = browser.find_element(By.ID, "tip")
    until(browser, lambda b: tip.is_displayed())
    box, at = tip.rect, mark.rect
    x, y = at["x"] + at["width"] / 2, at["y"] + at["height"] / 2
    inside = box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]
    assert not inside
    assert (
        browser.execute_script("return getComputedStyle(arguments[0]).pointerEvents", tip) == "none"
    )
    pointer(browser).move_by_offset(1, 0).perform()  # a move over the mark keeps it
    assert tip.is_displayed()
