"""Every citation in the catalog, the code and the docs resolves inside the repository.

A report's "source" line and a comment's citation are only worth something if a reader can follow
them: each `docs/<page>.md#<section>` names a page that exists and a heading it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CITING = ("harness", "reference_server", "schemas", "payload_fixtures", "bench", "tests", "docs")
SUFFIXES = {".py", ".toml", ".md", ".json", ".yaml"}
CITATION = re.compile(r"docs/([a-z-]+\.md)((?:#[a-z0-9-]+)?(?:, #[a-z0-9-]+)*)")
#: Notes that never ship with the project: citing them leaves the reader nowhere to go.
UNSHIPPED = re.compile(r"\b(?:reference/(?:ats|law|anchors|perf-anchors|style-models)\.md|(?<![\w/])(?:ats|law)\.md)")


def citing_files() -> Iterator[Path]:
    for folder in CITING:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and path.name != Path(__file__).name:
                yield path
    yield ROOT / "README.md"
    yield ROOT / "ARCHITECTURE.md"


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-") for heading in headings}


def citations() -> Iterator[tuple[str, str, str]]:
    for path in citing_files():
        for page, sections in CITATION.findall(path.read_text(encoding="utf-8")):
            for section in re.findall(r"#([a-z0-9-]+)", sections) or [""]:
                yield str(path.relative_to(ROOT)), page, section


def test_there_are_citations_to_check() -> None:
    assert sum(1 for _, _, section in citations() if section) >= 50


@pytest.mark.parametrize("where,page,section", sorted(set(citations())))
def test_each_citation_names_a_page_and_a_section_it_has(where: str, page: str, section: str) -> None:
    target = ROOT / "docs" / page
    assert target.is_file(), f"{where} cites docs/{page}, which does not exist"
    if section:
        assert section in anchors(target), f"{where} cites docs/{page}#{section}: no such heading"


def test_nothing_cites_notes_that_do_not_ship() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in citing_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSHIPPED.search(line)
    ]
    assert found == []
