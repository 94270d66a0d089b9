"""Stories as data: the story and sources files, `new` and `add`, and a follow-up story of
two articles (tests/data/stories/, written for this project) built into its own report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from newsfigures.cli import main
from newsfigures.core import paths
from newsfigures.core.errors import FigureSheetError, StoryError
from newsfigures.core.sources import load_sources
from newsfigures.core.stories import load_story, open_story

DATA = Path(__file__).parent / "data" / "stories"
FIRST = [
    "--article",
    str(DATA / "deployment_pentagon.txt"),
    "--source",
    "dispatch-2024-11-05",
    "--outlet",
    "The Pacific Dispatch",
    "--title",
    "Pentagon raises its count of North Korean soldiers in Russia",
    "--published",
    "2024-11-05",
    "--url",
    "https://example.com/dispatch/nk-count",
]
SECOND = [
    "--article",
    str(DATA / "deployment_kyiv.txt"),
    "--source",
    "monitor-2024-12-10",
    "--outlet",
    "Eastern Front Monitor",
    "--title",
    "Kyiv says North Korean units have joined the fighting near Kursk",
    "--published",
    "2024-12-10",
]
TROOPS = "North Korean troops in Russia"


def _run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _one_measure(sheet: Path) -> None:
    """The one edit a user makes: the four troop estimates get one measure."""
    text = sheet.read_text(encoding="utf-8")
    # The placeholder names the source when the sentence credits one: "number of people, according to X".
    placeholder = r'"number of people, according to [^"]*"|(?<=,)number of people(?=,)'
    sheet.write_text(re.sub(placeholder, TROOPS, text), encoding="utf-8")


def test_the_flagship_is_a_story():
    story = load_story(paths.STORY)
    assert story.figures == paths.SHEET and story.sources == paths.SOURCES
    assert [s.notebook for s in story.sections][:2] == ["01_force_sizes.ipynb", "02_brics_shares.ipynb"]
    assert story.context["armed_forces_figures"] == ["nk_army_size", "nk_troops_sent"]
    data = open_story(paths.STORY)
    assert set(data.figures["source"]) == set(data.sources["key"]) == {"nbc-2024-10-24"}
    assert str(data.sources["published"].dtype) == "datetime64[ns]"
    assert list(data.sources.columns) == ["key", "outlet", "title", "published", "url", "sha256", "text_path"]


STORY_WORDS = r"\bnbc\b|brics_share|nk_army|nk_troops|kazan"


def test_the_library_names_no_story():
    for path in (paths.PACKAGE_DIR).rglob("*.py"):
        found = re.findall(STORY_WORDS, path.read_text(encoding="utf-8").lower())
        assert not found, (path.name, found)


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda t: t.replace("nbc-2024-10-24,NBC", "NBC 2024,NBC"), "row 2, column 'key': 'NBC 2024' is not a key"),
        (lambda t: t.replace(",2024-10-24,", ",24/10/2024,"), "row 2, column 'published': '24/10/2024' is not a date"),
        (lambda t: t.replace("key,", "kee,", 1), "column 'key': missing column"),
        (lambda t: t + t.splitlines()[1] + "\n", "row 3, column 'key': duplicate key 'nbc-2024-10-24'"),
    ],
)
def test_a_bad_sources_file_is_one_line(tmp_path, edit, words):
    bad = tmp_path / "sources.csv"
    bad.write_text(edit(paths.SOURCES.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(StoryError) as info:
        load_sources(bad)
    assert str(bad) in str(info.value) and words in str(info.value) and "\n" not in str(info.value)


def test_a_bad_story_file_names_the_file_and_key(tmp_path):
    (tmp_path / "story.toml").write_text('title = "T"\nsheet = "x.csv"\n', encoding="utf-8")
    with pytest.raises(StoryError, match=r"story\.toml: unknown key 'sheet'"):
        load_story(tmp_path)
    (tmp_path / "story.toml").write_text("title = \n", encoding="utf-8")
    with pytest.raises(StoryError, match="not valid TOML"):
        load_story(tmp_path)


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """A follow-up story made by `new` and `add`, before the user's edit."""
    folder = tmp_path_factory.mktemp("story") / "deployment"
    assert main(["new", str(folder), *FIRST]) == 0
    first = {name: (folder / name).read_bytes() for name in ("figures.csv", "sources.csv")}
    assert main(["add", str(folder), *SECOND]) == 0
    return folder, first


def test_new_and_add_make_a_story(story):
    folder, _ = story
    data = open_story(folder)
    figures = data.figures.set_index("figure_id")
    assert list(figures.index) == [f"figure_0{i}" for i in range(1, 7)]
    assert list(data.sources["outlet"]) == ["The Pacific Dispatch", "Eastern Front Monitor"]
    assert data.sources["sha256"].str.fullmatch("[0-9a-f]{64}").all()
    assert figures.loc["figure_01", ["value", "qualifier", "attribution"]].tolist() == [
        10000,
        "approximate",
        "the Pentagon",
    ]
    assert figures.loc["figure_02", ["lower", "upper", "qualifier"]].tolist() == [11000, 12000, "range"]
    assert figures.loc["figure_04", ["value", "qualifier"]].tolist() == [11000, "approximate"]
    assert figures.loc["figure_05", ["upper", "qualifier"]].tolist() == [12000, "nearly"]
    assert figures.loc["figure_03", "unit"] == "USD" and figures.loc["figure_06", "unit"] == "percent"
    assert figures.loc["figure_01", "as_of"] == pd.Timestamp("2024-11-05")
    assert figures.loc["figure_04", "source"] == "monitor-2024-12-10"
    notebooks = [s.notebook for s in load_story(folder).sections]
    assert notebooks == [
        "01_figures.ipynb",
        "02_counts.ipynb",
        "03_money.ipynb",
        "04_shares.ipynb",
        "05_estimates.ipynb",
    ]
    assert all((folder / "notebooks" / n).is_file() for n in notebooks)


def test_add_leaves_existing_rows_byte_for_byte(story):
    folder, first = story
    for name, before in first.items():
        after = (folder / name).read_bytes()
        assert after.startswith(before) and len(after) > len(before), name


def test_add_refuses_a_registered_key_and_writes_nothing(story, capsys):
    folder, _ = story
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    status, _, err = _run(capsys, "add", folder, *SECOND)
    assert status == 1 and err.count("\n") == 1
    assert "key 'monitor-2024-12-10' is already registered" in err and "sources.csv, row 3" in err
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before


def test_new_refuses_a_folder_with_files_and_a_bad_article(story, tmp_path, capsys):
    folder, _ = story
    status, _, err = _run(capsys, "new", folder, *FIRST)
    assert status == 1 and "already exists and is not an empty folder" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    args = FIRST.copy()
    args[1] = str(empty)
    status, _, err = _run(capsys, "new", tmp_path / "fresh", *args)
    assert status == 1 and err.count("\n") == 1 and "empty.txt: is empty" in err
    assert not (tmp_path / "fresh").exists() and not list(tmp_path.glob(".fresh.*"))
    args = FIRST.copy()
    args[args.index("--published") + 1] = "5 Nov 2024"
    status, _, err = _run(capsys, "new", tmp_path / "fresh", *args)
    # The date came from the command line: the error names the option, not a file row.
    assert status == 1 and err == "newsfigures new: error: --published: '5 Nov 2024' is not a date (YYYY-MM-DD)\n"
    assert not (tmp_path / "fresh").exists()
    args = FIRST.copy()
    args[args.index("--source") + 1] = "Pacific Dispatch"
    status, _, err = _run(capsys, "new", tmp_path / "fresh", *args)
    assert status == 1 and err.startswith("newsfigures new: error: --source: 'Pacific Dispatch' is not a key")
    assert not (tmp_path / "fresh").exists()


def test_new_names_an_article_without_figures(tmp_path, capsys):
    plain = tmp_path / "plain.txt"
    plain.write_text("The talks resumed in Geneva on Tuesday without a statement.\n")
    args = FIRST.copy()
    args[1] = str(plain)
    status, _, err = _run(capsys, "new", tmp_path / "fresh", *args)
    assert status == 1 and err == f"newsfigures new: error: {plain}: the text has no figures to draft a sheet from\n"
    assert not (tmp_path / "fresh").exists()


def test_add_refuses_a_text_already_registered(story, capsys):
    folder, _ = story
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    args = SECOND.copy()
    args[args.index("--source") + 1] = "monitor-again"
    status, _, err = _run(capsys, "add", folder, *args)
    assert status == 1 and err == (
        f"newsfigures add: error: {DATA / 'deployment_kyiv.txt'}: this text is already registered as "
        f"'monitor-2024-12-10' ({folder / 'sources.csv'}, row 3)\n"
    )
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before


def test_an_unregistered_source_fails_in_one_line(story, tmp_path, capsys):
    folder, _ = story
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    sheet = copy / "figures.csv"
    sheet.write_text(sheet.read_text().replace("monitor-2024-12-10\n", "kyiv-wire\n", 1))
    with pytest.raises(FigureSheetError) as info:
        open_story(copy)
    assert str(info.value) == (
        f"{sheet}, row 5, column 'source': unknown source 'kyiv-wire' "
        f"(registered in {copy / 'sources.csv'}: dispatch-2024-11-05, monitor-2024-12-10)"
    )
    status, _, err = _run(capsys, "check", DATA / "deployment_kyiv.txt", "--story", copy)
    assert status == 1 and err.count("\n") == 1 and "unknown source 'kyiv-wire'" in err


def test_check_and_extract_take_a_story(story, capsys):
    folder, _ = story
    status, out, _ = _run(capsys, "check", DATA / "deployment_kyiv.txt", "--story", folder)
    assert status == 0 and "All 3 figures in the sheet stand in the text as recorded" in out  # its rows only
    status, out, _ = _run(
        capsys,
        "extract",
        DATA / "deployment_kyiv.txt",
        "--draft-sheet",
        "--story",
        folder,
        "--source",
        "monitor-2024-12-10",
    )
    assert status == 0 and out.count(",2024-12-10,monitor-2024-12-10") == 3


def test_check_story_alone_checks_every_article_it_keeps(story, tmp_path, capsys):
    folder, _ = story
    status, out, _ = _run(capsys, "check", "--story", folder)
    assert status == 0 and out.count("== ") == 2, out
    assert "== dispatch-2024-11-05\n" in out and "== monitor-2024-12-10\n" in out
    assert out.count("stand in the text as recorded") == 2
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    text = copy / "kyiv.txt"
    text.write_text((DATA / "deployment_kyiv.txt").read_text(encoding="utf-8").replace("1", "7", 1), encoding="utf-8")
    sources = copy / "sources.csv"
    sources.write_text(sources.read_text().replace(str(DATA / "deployment_kyiv.txt"), "kyiv.txt"))
    status, out, _ = _run(capsys, "check", "--story", copy)
    assert status == 1 and "changed" in out
    text.unlink()
    status, _, err = _run(capsys, "check", "--story", copy)
    assert status == 1 and err == (
        f"newsfigures check: error: {sources}, row 3, column 'text_path': no such file {copy / 'kyiv.txt'}\n"
    )


def test_series_after_one_edit(story, tmp_path):
    from newsfigures.core.figures import estimate_series

    folder, _ = story
    copy = tmp_path / "edited"
    shutil.copytree(folder, copy)
    _one_measure(copy / "figures.csv")
    series = estimate_series(open_story(copy).figures)
    assert list(series["figure_id"]) == ["figure_01", "figure_02", "figure_04", "figure_05"]
    assert set(series["series"]) == {TROOPS}


@pytest.fixture(scope="module")
def built(story, tmp_path_factory):
    """The follow-up story, edited once and built with `build --story` (one build for the module)."""
    from newsfigures.report.build import build

    folder, _ = story
    edited = tmp_path_factory.mktemp("built") / "deployment"
    shutil.copytree(folder, edited)
    _one_measure(edited / "figures.csv")
    result = build(story=edited, cache_dir=edited.parent / "cache", quiet=True)
    return edited, result


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (Debian's poppler-utils) is not installed")
def test_a_scaffolded_storys_pdf_keeps_its_tables_inside_the_page(built):
    from .test_print_layout import page_side_overflow

    # Its list of figures has seven columns, one of outlets and dates, once wider than the page.
    _, result = built
    over = {page: f"{mm:.1f} mm" for page, mm in enumerate(page_side_overflow(result.pdf), 1) if mm > 1.0}
    assert not over, f"ink in the side margins: {over}"


@pytest.mark.slow
def test_build_story_cites_both_outlets_and_never_nbc(built):
    from pypdf import PdfReader

    folder, result = built
    assert result.html == folder / "reports" / "report.html" and result.pdf.is_file()
    html = result.html.read_text(encoding="utf-8")
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(result.pdf).pages).split())
    for text in (html, pdf):
        assert "The Pacific Dispatch" in text and "Eastern Front Monitor" in text
        assert "NBC" not in text and "BRICS" not in text
        for printed in ("About 10,000", "between 11,000 and 12,000", "Roughly 11,000", "nearly 12,000", "15%"):
            assert printed in text, printed
    assert "Figures as quoted in: The Pacific Dispatch" in html and "And in: Eastern Front Monitor" in html
    assert "Estimates of: " + TROOPS in html
    # Every kind charted: counts, money, shares and the one series of the four troop estimates.
    # Charts are inline SVG whose <title> holds the alt text.
    alts = re.findall(r'<svg\b[^>]*class="nf-chart"[^>]*>\s*<title\b[^>]*>(.*?)</title>', html, re.S)
    assert len(alts) == 4
    series = [a for a in alts if "the Pentagon" in a and "Ukraine" in a and "South Korea" in a and "over time" in a]
    assert len(series) == 1, alts


@pytest.mark.slow
def test_build_story_writes_its_own_tables(built):
    folder, result = built
    names = {p.name for p in result.tables}
    assert {"figures.csv", "counts.csv", "shares.csv", "money.csv", "series.csv", "datapackage.json"} <= names
    assert not names & {"fact_check.csv", "wdi_extract.csv"}  # no reference data, no checks: no such tables
    series = pd.read_csv(folder / "processed" / "series.csv")
    assert list(series["figure_id"]) == ["figure_01", "figure_02", "figure_04", "figure_05"]
    package = (folder / "processed" / "datapackage.json").read_text(encoding="utf-8")
    assert "Eastern Front Monitor" in package and "NBC" not in package and "World Bank" not in package


def test_a_story_with_checks_gets_a_fact_check(story, tmp_path):
    import newsfigures
    from newsfigures.report.catalog import table_names
    from newsfigures.report.processed import story_inputs

    folder, _ = story
    copy = tmp_path / "checked"
    shutil.copytree(folder, copy)
    assert "fact_check" not in table_names(story_inputs(copy))
    (copy / "checks.csv").write_text("figure_id,indicator_code,groups\nfigure_06,SP.POP.TOTL,PRK;KOR\n")
    with open(copy / "story.toml", "r+", encoding="utf-8") as handle:
        text = handle.read()
        handle.seek(0)
        handle.write(f'checks = "checks.csv"\nreference = "{paths.REFERENCE_DIR}"\n' + text)
    assert {"fact_check", "wdi_extract"} <= set(table_names(story_inputs(copy)))
    check = newsfigures.load_fact_check(copy)
    assert set(check["figure_id"]) == {"figure_06"} and check["closest"].sum() == 1
    # Data published after the Kyiv article's date is not available at publication.
    assert not check.loc[check["release"] == "2026-07-01", "available_at_publication"].any()
    third = tmp_path / "third.txt"
    third.write_text("Seoul said on Friday that about 300 of the soldiers had been wounded.\n", encoding="utf-8")
    assert (
        main(["add", str(copy), "--article", str(third), "--source", "third-2025-01-01", *SECOND[4:-1], "2025-01-01"])
        == 0
    )
    assert [s.notebook for s in load_story(copy).sections][-1] == "06_factcheck.ipynb"


def test_new_and_add_read_standard_input_and_keep_the_text(tmp_path, capsys, monkeypatch):
    import io
    import sys

    def stdin(path: Path) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes()), encoding="utf-8"))

    folder = tmp_path / "piped"
    stdin(DATA / "deployment_pentagon.txt")
    status, _, err = _run(capsys, "new", folder, "--article", "-", *FIRST[2:])
    assert status == 0, err
    kept = folder / "articles" / "dispatch-2024-11-05.txt"
    assert kept.read_bytes() == (DATA / "deployment_pentagon.txt").read_bytes()
    assert load_sources(folder / "sources.csv")["text_path"].tolist() == ["articles/dispatch-2024-11-05.txt"]
    stdin(DATA / "deployment_kyiv.txt")
    status, _, err = _run(capsys, "add", folder, "--article", "-", *SECOND[2:])
    assert status == 0, err
    assert (folder / "articles" / "monitor-2024-12-10.txt").read_bytes() == (DATA / "deployment_kyiv.txt").read_bytes()
    status, out, _ = _run(capsys, "check", "--story", folder)
    assert status == 0 and out.count("stand in the text as recorded") == 2
    # The same text piped again under a new key is refused, naming standard input; nothing is written.
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    stdin(DATA / "deployment_kyiv.txt")
    status, _, err = _run(capsys, "add", folder, "--article", "-", *SECOND[2:3], "monitor-again", *SECOND[4:])
    assert status == 1 and err.count("\n") == 1
    assert "<stdin>: this text is already registered as 'monitor-2024-12-10'" in err
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before
