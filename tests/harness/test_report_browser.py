"""report.html as a person sees it: rendered by a real browser, not only parsed.

A parser accepts a page that no reader could use: a verdict pushed below the fold, failures buried under
passes, a closed section hiding what matters. So the page of a compliant, a failing and an incomplete run
is rendered by headless Chromium, and the tests read what the browser built (`--dump-dom`, counting only
the text a reader can see) and what it painted (`--screenshot`, the verdict banner's colour across the top
of the window). Where no Chromium can be run, the tests skip and say how to get one.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nyc_hiring.harness.reports.html import write_html
from nyc_hiring.harness.results import RunReport

from .test_reports import CATALOG, KNOWN, MUST_FAIL, SKIPPED, WARNED, compliant_report, incomplete_report, mixed_report

pytestmark = pytest.mark.slow
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "/usr/bin/chromium")
# Headless, and quiet on the network: without the background-networking flags Chromium dials out at start,
# which a closed network refuses.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
WINDOW = (1280, 1000)
BANNERS = {"Compliant": (0xE3, 0xF4, 0xE5), "Not compliant": (0xFD, 0xE4, 0xE4), "Incomplete": (0xFF, 0xF2, 0xD6)}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
REPORTS = {"Compliant": compliant_report, "Not compliant": mixed_report, "Incomplete": incomplete_report}


@pytest.fixture(scope="module")
def browser() -> str:
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        pytest.skip("no Chromium to render report.html with: install it (Debian and Ubuntu: apt-get install chromium)")
    try:
        probe = subprocess.run([found, *FLAGS, "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"{found} cannot be run here ({exc}), so report.html cannot be rendered")
    if probe.returncode != 0:
        pytest.skip(f"{found} --version failed ({probe.stderr.strip()[-300:]}), so report.html cannot be rendered")
    return found


@pytest.fixture(scope="module", params=list(REPORTS))
def rendered(
    request: pytest.FixtureRequest, browser: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Rendered]:
    verdict = request.param
    folder = tmp_path_factory.mktemp(verdict.replace(" ", "-"))
    report = REPORTS[verdict]()
    page = write_html(report, folder / "report.html")
    screenshot = folder / "report.png"
    dom = _chromium(browser, page, "--dump-dom", f"--screenshot={screenshot}").stdout  # one load, both kept
    yield Rendered(verdict, report, Seen(dom), screenshot)


@dataclass(frozen=True)
class Rendered:
    """One run's page as Chromium built and painted it."""

    verdict: str
    report: RunReport
    seen: Seen
    screenshot: Path


def test_the_page_opens_with_the_verdict(rendered: Rendered) -> None:
    assert rendered.seen.text_of("verdict") == [rendered.verdict]
    assert rendered.seen.texts[:3] == [
        ("NYC Local Law 144 hiring-compliance conformance report", "eyebrow"),
        rendered.seen.texts[1],
        (rendered.verdict, "verdict"),
    ]


def test_the_verdict_banner_is_painted_across_the_top(rendered: Rendered) -> None:
    width, height, top = _top_rows(rendered.screenshot.read_bytes(), rows=250)
    assert (width, height) == WINDOW
    share = {verdict: sum(pixel == colour for pixel in top) / len(top) for verdict, colour in BANNERS.items()}
    assert share[rendered.verdict] > 0.3, share
    assert all(value < 0.01 for verdict, value in share.items() if verdict != rendered.verdict), share


def test_failures_come_before_passes_in_plain_words(rendered: Rendered) -> None:
    seen = rendered.seen
    if rendered.verdict != "Not compliant":
        assert "What failed, most urgent first" not in seen.words
        return
    titles = [seen.words.index(CATALOG[rid].plain_title) for rid in (MUST_FAIL, KNOWN, WARNED)]
    assert titles == sorted(titles)
    assert titles[-1] < seen.words.index("Pass"), "every failure is read before the first pass"
    assert seen.words.index("What failed, most urgent first") < titles[0]
    assert "Fail" in seen.text_of("badge fail") and "Fail (known)" in seen.text_of("badge known")


def test_what_could_not_be_checked_is_said_in_plain_words(rendered: Rendered) -> None:
    seen = rendered.seen
    if SKIPPED not in {verdict.requirement.id for verdict in rendered.report.unchecked}:
        assert "What could not be checked" not in seen.words
        return
    title = seen.words.index(CATALOG[SKIPPED].plain_title)
    assert seen.words.index("What could not be checked") < title < seen.words.index("Pass")
    assert any("NYC_HIRING" in word for word in seen.words[title : title + 4])


def test_a_reader_sees_no_code_names(rendered: Rendered) -> None:
    text = " ".join(rendered.seen.words)
    assert "::" not in text and "test_" not in text and "{'" not in text
    assert "$NYC_HIRING_API_KEY" not in text, "evidence stays folded until a developer opens it"


# -- helpers -------------------------------------------------------------------------------------------------


def _chromium(browser: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            *args,
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


class Seen(HTMLParser):
    """The text of a DOM a reader can see, in reading order, each piece with its element's class: nothing
    of the head, and of a closed `<details>` only its summary."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.texts: list[tuple[str, str]] = []
        self._open: list[tuple[str, dict[str, str | None]]] = []
        self.feed(dom)

    @property
    def words(self) -> list[str]:
        return [text for text, _ in self.texts]

    def text_of(self, css: str) -> list[str]:
        return [text for text, classes in self.texts if classes == css]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self._open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and self._visible():
            css = (self._open[-1][1].get("class") or "") if self._open else ""
            self.texts.append((" ".join(data.split()), css))

    def _visible(self) -> bool:
        for depth, (tag, attrs) in enumerate(self._open):
            if tag in ("head", "style", "title", "script"):
                return False
            if tag == "details" and "open" not in attrs and all(t != "summary" for t, _ in self._open[depth + 1 :]):
                return False
        return True


def _top_rows(png: bytes, rows: int) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and the RGB pixels of the first `rows` rows of an 8-bit, non-interlaced RGB(A) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, data, header = 8, b"", b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        body = png[position + 8 : position + 8 + length]
        header, data = (body, data) if kind == b"IHDR" else (header, data + body if kind == b"IDAT" else data)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "a PNG layout Chromium does not write"
    step = 3 if colour == 2 else 4
    stride, raw = width * step, zlib.decompress(data)
    previous, pixels = bytearray(stride), []
    for row in range(min(rows, height)):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for index in range(stride):
            left = line[index - step] if index >= step else 0
            up, corner = previous[index], previous[index - step] if index >= step else 0
            line[index] = (line[index] + _predicted(kind, left, up, corner)) & 0xFF
        pixels += [tuple(line[index : index + 3]) for index in range(0, stride, step)]
        previous = line
    return width, height, pixels  # type: ignore[return-value]


def _predicted(kind: int, left: int, up: int, corner: int) -> int:
    """PNG's row filters (none, sub, up, average, Paeth), undone byte by byte."""
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    guess = left + up - corner
    nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
    return nearest[2]
