"""Reconciling a sheet with a text (``check``), and the ``extract``/``check`` command lines."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from newsfigures.cli import main
from newsfigures.core.figures import COLUMNS, load_figures, validate_figures
from newsfigures.extract import extract_figures
from newsfigures.extract.reconcile import agree, compare_with_sheet, summary
from newsfigures.report import display

TEXT = "Officials say at least 3,000 troops crossed. Turnout was 41.1%, the commission said."


def _sheet(rows: str):
    header = ",".join(COLUMNS) + "\n"
    frame = pd.read_csv(io.StringIO(header + rows), dtype=str, keep_default_na=False, na_values=[""])
    return validate_figures(frame)


SHEET = (
    'troops,force_size,Troops,3000,3000,,people,at_least,Officials,"at least 3,000",14,28,2024-10-24,s\n'
    "turnout,brics_share,Turnout,41.1,41.1,41.1,percent,exact,the commission,41.1%,57,62,2024-10-24,s\n"
)


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_compare_reports_ok_changed_moved_missing_and_new():
    sheet = _sheet(SHEET)
    same = compare_with_sheet(extract_figures(TEXT), sheet)
    assert list(same["status"]) == ["ok", "ok"] and agree(same)
    assert (
        summary(same) == "All 2 figures in the sheet stand in the text as recorded, and the text has no other figures."
    )

    changed = compare_with_sheet(extract_figures(TEXT.replace("3,000", "4,000")), sheet)
    assert list(changed["status"]) == ["changed", "ok"] and not agree(changed)
    assert changed.loc[0, "found_figure"] == "at least 4,000" and changed.loc[0, "sheet_figure"] == "at least 3,000"

    moved = compare_with_sheet(extract_figures("Update. " + TEXT + " Another 250 arrived."), sheet)
    assert list(moved["status"]) == ["moved", "moved", "new"]
    assert moved.loc[0, "found_start"] == 14 + len("Update. ")
    assert moved.loc[2, "surface"] == "250"
    assert summary(moved) == "Of 2 figures in the sheet: 2 moved; the text has 1 figure not in the sheet."

    missing = compare_with_sheet(extract_figures(TEXT.replace("41.1%", "high")), sheet)
    assert list(missing["status"]) == ["ok", "missing"]
    assert pd.isna(missing.loc[1, "found_surface"])


def test_check_agrees_with_the_original_article(article_path, capsys):
    status, out, err = _run(capsys, "check", str(article_path))
    assert status == 0, out + err
    assert out.count(" ok ") == 5
    assert "All 5 figures in the sheet stand in the text as recorded" in out


def test_check_catches_an_edited_copy_of_the_article(article_text, tmp_path, capsys):
    assert article_text.count("at least 3,000") == 1
    edited = tmp_path / "edited.txt"
    edited.write_text(article_text.replace("at least 3,000", "at least 4,000"), encoding="utf-8")
    status, out, _ = _run(capsys, "check", str(edited))
    assert status == 1
    line = next(l for l in out.splitlines() if l.strip().startswith("nk_troops_sent"))
    assert "changed" in line and "at least 4,000" in line
    assert "4 ok, 1 changed" in out

    comparison = compare_with_sheet(extract_figures(edited.read_text(encoding="utf-8")), load_figures())
    assert comparison.set_index("figure_id").loc["nk_troops_sent", "found_figure"] == "at least 4,000"


def test_check_with_another_sheet_and_a_bad_sheet(article_path, tmp_path, capsys):
    sheet = tmp_path / "figures.csv"
    frame = load_figures()
    frame[frame["topic"] == "brics_share"].to_csv(sheet, index=False, date_format="%Y-%m-%d")
    status, out, _ = _run(capsys, "check", str(article_path), "--sheet", str(sheet))
    assert status == 1
    assert out.count(" new ") == 3
    assert (
        "All 2 figures in the sheet stand in the text as recorded, and the text has 3 figures not in the sheet." in out
    )
    sheet.write_text("figure_id\nx\n", encoding="utf-8")
    status, _, err = _run(capsys, "check", str(article_path), "--sheet", str(sheet))
    assert status == 1 and err.startswith("newsfigures check: error: ") and "missing column" in err


def test_extract_prints_csv_and_writes_json(article_path, tmp_path, capsys):
    status, out, _ = _run(capsys, "extract", str(article_path))
    assert status == 0
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame["surface"]) == ["at least 3,000", "hundreds of thousands", "million-strong", "41.1%", "37.3%"]
    assert out.splitlines()[1].startswith("3000,3000,,people,at_least,the U.S.,")
    target = tmp_path / "out" / "figures.json"
    status, out, err = _run(capsys, "extract", str(article_path), "--format", "json", "--out", str(target))
    assert status == 0 and out == "" and "5 figures" in err
    records = json.loads(target.read_text(encoding="utf-8"))
    assert records[1]["value"] is None and records[1]["lower"] == 200000 and records[1]["char_start"] == 172
    status, out, err = _run(capsys, "extract", str(article_path), "--out", str(tmp_path))  # a folder
    assert (
        status == 1 and err.count("\n") == 1 and err.startswith(f"newsfigures extract: error: {tmp_path}: cannot write")
    )


@pytest.mark.parametrize("command", ["extract", "check"])
@pytest.mark.parametrize(
    "name, content, words",
    [
        ("missing.txt", None, "no such file"),
        ("latin1.txt", b"caf\xe9 3,000", "not UTF-8"),
        ("binary.bin", b"\x89PNG\x00\x00\x01", "binary"),
        ("empty.txt", b" \n", "is empty"),
        ("huge.txt", b"12 troops. " * 460_000, "larger than"),
    ],
)
def test_bad_article_files_give_one_line_and_status_1(tmp_path, capsys, command, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    status, out, err = _run(capsys, command, str(path))
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"newsfigures {command}: error: {path}: ")
    assert words in err and "Traceback" not in err


def test_report_section_shows_a_note_without_the_text(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "_display", lambda bundle, metadata=None: shown.append(bundle))
    display.show_extraction(None, load_figures())
    assert len(shown) == 1 and "not available" in shown[0]["text/plain"] and "--article" in shown[0]["text/plain"]


def test_report_section_shows_the_comparison_without_sentences(article_path, article_text, monkeypatch):
    shown = []
    monkeypatch.setattr(display, "_display", lambda bundle, metadata=None: shown.append(bundle))
    display.show_extraction(article_path, load_figures())
    summary_line, table = shown
    assert summary_line["text/plain"].startswith("All 5 figures")
    assert table["text/html"].count("<td>ok</td>") == 5
    assert "hundreds of thousands" in table["text/html"] and "the West" in table["text/html"]
    for sentence in extract_figures(article_text)["sentence"]:
        assert sentence not in table["text/html"] and sentence[:60] not in table["text/plain"]


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_extract_and_check_read_standard_input(tmp_path, monkeypatch, capsys):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    status, from_file, _ = _run(capsys, "extract", str(path))
    assert status == 0
    _stdin(monkeypatch, TEXT.encode("utf-8"))
    status, out, _ = _run(capsys, "extract", "-")
    assert status == 0 and out == from_file
    assert out.splitlines()[1].startswith('3000,3000,,people,at_least,Officials,"at least 3,000",14,28,')
    _stdin(monkeypatch, TEXT.encode("utf-8"))
    status, out, _ = _run(capsys, "check", "-", "--sheet", str(_sheet_file(tmp_path)))
    assert status == 0 and "All 2 figures" in out


def _sheet_file(tmp_path):
    path = tmp_path / "sheet.csv"
    _sheet(SHEET).to_csv(path, index=False, date_format="%Y-%m-%d")
    return path


@pytest.mark.parametrize("command", ["extract", "check"])
@pytest.mark.parametrize(
    "content, words",
    [
        (b"caf\xe9 3,000", "not UTF-8"),
        (b"\x89PNG\x00\x00\x01", "binary"),
        (b" \n", "is empty"),
        (b"12 troops. " * 460_000, "larger than the 5,000,000-byte limit"),
    ],
)
def test_bad_standard_input_gives_one_line_and_status_1(monkeypatch, capsys, command, content, words):
    _stdin(monkeypatch, content)
    status, out, err = _run(capsys, command, "-")
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"newsfigures {command}: error: <stdin>: ") and words in err


def test_draft_sheet_is_a_sheet_that_check_and_load_figures_accept(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(TEXT + " It cost $2 billion.", encoding="utf-8")
    draft = tmp_path / "draft.csv"
    status, _, err = _run(
        capsys, "extract", str(article), "--draft-sheet", "--source", "s", "--as-of", "2024-10-24", "--out", str(draft)
    )
    assert status == 0 and "3 draft sheet rows" in err
    sheet = load_figures(draft)
    assert list(sheet["figure_id"]) == ["figure_01", "figure_02", "figure_03"]
    assert set(sheet["topic"]) == {"other"} and set(sheet["source"]) == {"s"}
    assert list(sheet["measure"]) == [
        "number of people, according to Officials",
        "percentage, according to the commission",
        "amount in USD",
    ]
    assert (sheet["as_of"] == pd.Timestamp("2024-10-24")).all()
    assert list(sheet["value"]) == [3000, 41.1, 2e9]
    assert list(sheet["surface"]) == ["at least 3,000", "41.1%", "$2 billion"]
    assert "sentence" not in draft.read_text(encoding="utf-8")
    status, out, _ = _run(capsys, "check", str(article), "--sheet", str(draft))
    assert status == 0 and "All 3 figures in the sheet stand in the text as recorded" in out


def test_draft_sheet_of_the_article_checks_clean(article_path, tmp_path, capsys):
    draft = tmp_path / "draft.csv"
    status, _, _ = _run(
        capsys,
        "extract",
        str(article_path),
        "--draft-sheet",
        "--source",
        "nbc-2024-10-24",
        "--as-of",
        "2024-10-24",
        "--out",
        str(draft),
    )
    assert status == 0
    assert list(load_figures(draft)["surface"]) == list(load_figures().sort_values("char_start")["surface"])
    status, out, _ = _run(capsys, "check", str(article_path), "--sheet", str(draft))
    assert status == 0 and out.count(" ok ") == 5


def test_draft_sheet_needs_source_and_a_real_date(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    with pytest.raises(SystemExit) as usage:
        main(["extract", str(article), "--draft-sheet", "--as-of", "2024-10-24"])
    assert usage.value.code == 2 and "--draft-sheet needs --source" in capsys.readouterr().err
    status, out, err = _run(capsys, "extract", str(article), "--draft-sheet", "--source", "s", "--as-of", "2024-02-30")
    assert status == 1 and out == "" and err.count("\n") == 1
    assert "column 'as_of': '2024-02-30' is not a date" in err


def test_compare_catches_an_edited_attribution_and_an_edited_unit():
    edited = SHEET.replace(",Officials,", ",the ministry,").replace(",percent,exact,", ",percentage_points,exact,")
    comparison = compare_with_sheet(extract_figures(TEXT), _sheet(edited))
    assert list(comparison["status"]) == ["differs", "differs"] and not agree(comparison)
    assert comparison.loc[0, "differs"] == "attribution: the ministry -> Officials"
    assert comparison.loc[1, "differs"] == "unit: percentage_points -> percent"
    assert summary(comparison) == "Of 2 figures in the sheet: 2 differs; the text has no other figures."

    kind = compare_with_sheet(extract_figures(TEXT), _sheet(SHEET.replace(",people,", ",km,")))
    assert kind.loc[0, "status"] == "differs"
    assert kind.loc[0, "differs"] == "unit: km -> people; kind: measure -> count"
    assert pd.isna(kind.loc[1, "differs"])


def test_check_command_names_what_differs(tmp_path, capsys):
    article, sheet = tmp_path / "a.txt", tmp_path / "s.csv"
    article.write_text(TEXT, encoding="utf-8")
    sheet.write_text(",".join(COLUMNS) + "\n" + SHEET.replace(",Officials,", ",Rebels,"), encoding="utf-8")
    status, out, _ = _run(capsys, "check", str(article), "--sheet", str(sheet))
    assert status == 1
    assert "attribution: Rebels -> Officials" in out and "differs" in out
