"""Command line: ``python -m newsfigures COMMAND``.

Commands:
  new        make a story folder from an article: drafted sheet, sources, story file, notebooks
  add        register another article in a story and append its drafted figures
  build      execute a story's notebooks and render its report.html and report.pdf
  reference  rebuild data/reference/wdi_extract.csv from raw World Bank files
  extract    list the figures quoted in an article's text as a tidy table (CSV or JSON)
  check      reconcile a figure sheet with an article's text; exit 1 when they differ

Errors caused by input (a bad sheet, a failing notebook, a missing file) print one
line on stderr and exit with status 1; usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsfigures import __version__
from newsfigures.core.errors import NewsfiguresError


def _build(args: argparse.Namespace) -> int:
    from newsfigures.report.build import build

    build(
        args.sheet,
        args.out,
        args.data_out,
        story=args.story,
        reference=args.reference,
        article=args.article,
        notebooks_dir=args.notebooks,
        jobs=args.jobs,
        timeout=args.timeout,
        max_output_bytes=args.max_output,
        quiet=args.quiet,
        force=args.force,
    )
    return 0


def _article(args: argparse.Namespace):
    from newsfigures.report.scaffold import Article

    text = _article_text(args.article) if str(args.article) == "-" else None
    return Article(args.article, args.source, args.outlet, args.title, args.published, args.url or "", text)


def _new(args: argparse.Namespace) -> int:
    from newsfigures.report.scaffold import describe, new_story

    result = new_story(args.folder, _article(args))
    print(describe(result), file=sys.stderr)
    return 0


def _add(args: argparse.Namespace) -> int:
    from newsfigures.report.scaffold import add_article, describe

    result = add_article(args.folder, _article(args))
    print(describe(result), file=sys.stderr)
    return 0


def _reference(args: argparse.Namespace) -> int:
    from newsfigures.core import paths
    from newsfigures.reference.wdi import missing_reference_files, refresh_extract

    copied = missing_reference_files(args.out) if args.out is not None else []
    path, extract, written, changes = refresh_extract(
        args.raw_dir, args.out, since=args.since, accept_changes=args.accept_changes
    )
    if not args.quiet:
        if changes is not None and written:
            print(f"{path}: {changes.describe()}", file=sys.stderr)
        if copied:
            print(f"copied {', '.join(copied)} from {paths.REFERENCE_DIR} to {args.out}", file=sys.stderr)
        releases = sorted(extract["release"].dropna().unique(), reverse=True)
        state = "wrote" if written else "unchanged:"
        print(
            f"{state} {path} ({len(extract)} values; releases {', '.join(releases)}; "
            f"{extract['indicator_code'].nunique()} indicators; {extract['iso3'].nunique()} areas)",
            file=sys.stderr,
        )
    return 0


def _article_text(article: Path) -> str:
    """The text of ``article``, or of standard input when it is ``-``, checked as
    :func:`newsfigures.core.article.read_article` checks a file."""
    from newsfigures.core.article import MAX_ARTICLE_BYTES, decode_article, read_article

    if str(article) == "-":
        if sys.stdin is None:  # started with standard input closed (<&-)
            raise NewsfiguresError("<stdin>: standard input is closed; give the article's file or pipe its text")
        try:
            data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise NewsfiguresError(f"<stdin>: cannot read standard input ({exc})") from None
        return decode_article(data, "<stdin>")
    return read_article(article)


def _extract(args: argparse.Namespace) -> int:
    from newsfigures.core.fileio import write_atomic
    from newsfigures.extract.rules import extract_figures

    if args.story is not None and args.draft_sheet and args.source is not None and args.as_of is None:
        args.as_of = _published(args.story, args.source)
    if args.draft_sheet and (args.source is None or args.as_of is None or args.format != "csv"):
        args.parser.error("--draft-sheet needs --source KEY and --as-of YYYY-MM-DD (or --story), and writes CSV")
    figures = extract_figures(_article_text(args.article))
    if args.draft_sheet:
        from newsfigures.extract.reconcile import draft_sheet

        sheet = draft_sheet(figures, args.source, args.as_of)
        output = sheet.to_csv(index=False, lineterminator="\n", float_format="%.15g", date_format="%Y-%m-%d")
    elif args.format == "json":
        output = figures.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    else:
        output = figures.to_csv(index=False, lineterminator="\n", float_format="%.15g")
    if args.out is None:
        sys.stdout.write(output)
    else:
        try:
            write_atomic(args.out, output)
        except OSError as exc:
            raise NewsfiguresError(f"{args.out}: cannot write ({exc.strerror or exc})") from None
        what = "draft sheet rows" if args.draft_sheet else "figures"
        name = "standard input" if str(args.article) == "-" else args.article
        print(f"{len(figures)} {what} from {name} written to {args.out}", file=sys.stderr)
    return 0


def _published(story: Path, key: str) -> str:
    """The publication date the story's sources file gives article ``key`` (YYYY-MM-DD).

    Raises:
        StoryError: the story or its sources file is invalid, or ``key`` is not registered.
    """
    from newsfigures.core.errors import StoryError
    from newsfigures.core.sources import load_sources
    from newsfigures.core.stories import load_story

    sources = load_sources(load_story(story).sources)
    match = sources[sources["key"] == key]
    if match.empty:
        raise StoryError(
            f"{sources.attrs['path']}: no article with key {key!r} (registered: {', '.join(sources['key'])})"
        )
    return f"{match['published'].iloc[0]:%Y-%m-%d}"


def _check(args: argparse.Namespace) -> int:
    import pandas as pd

    from newsfigures.core.figures import load_figures
    from newsfigures.extract.reconcile import agree, compare_with_sheet, summary
    from newsfigures.extract.rules import extract_figures

    if args.article is None:
        if args.story is None:
            args.parser.error("give the article's text file, or --story DIR to check every article it keeps")
        return _check_story(args)
    text = _article_text(args.article)
    if args.story is not None:
        from newsfigures.core.article import sha256_text
        from newsfigures.core.stories import open_story

        data = open_story(args.story, args.sheet)
        sheet = data.figures
        # A story holds several articles: compare the text with the rows read from it.
        keys = data.sources.loc[data.sources["sha256"] == sha256_text(text), "key"]
        if not keys.empty:
            sheet = sheet[sheet["source"].isin(set(keys))].reset_index(drop=True)
    else:
        sheet = load_figures(args.sheet)
    comparison = compare_with_sheet(extract_figures(text), sheet)
    table = comparison[
        [
            "figure_id",
            "status",
            "surface",
            "char_start",
            "found_surface",
            "found_start",
            "sheet_figure",
            "found_figure",
            "differs",
        ]
    ]
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(table.astype(object).fillna("").to_string(index=False))
    print(summary(comparison))
    return 0 if agree(comparison) else 1


def _check_story(args: argparse.Namespace) -> int:
    """``check --story DIR`` without an article: each registered article whose text the
    story keeps (``text_path``) is compared with its own rows of the sheet."""
    import pandas as pd

    from newsfigures.core.article import read_article
    from newsfigures.core.errors import StoryError, where
    from newsfigures.core.stories import open_story
    from newsfigures.extract.reconcile import agree, compare_with_sheet, summary
    from newsfigures.extract.rules import extract_figures

    data = open_story(args.story, args.sheet)
    kept = data.sources[data.sources["text_path"] != ""]
    if kept.empty:
        raise StoryError(f"{data.sources.attrs['path']}: keeps no article text (text_path); give the article's file")
    home = Path(data.sources.attrs["path"]).parent
    texts = {}
    for i, row in kept.iterrows():
        path = home / row["text_path"]
        if not path.is_file():
            raise StoryError(f"{where(data.sources.attrs['path'], int(i) + 2, 'text_path')}: no such file {path}")
        texts[row["key"]] = read_article(path)
    status = 0
    for key, text in texts.items():
        sheet = data.figures[data.figures["source"] == key].reset_index(drop=True)
        comparison = compare_with_sheet(extract_figures(text), sheet)
        table = comparison[["figure_id", "status", "surface", "char_start", "found_surface", "found_start"]]
        print(f"== {key}")
        with pd.option_context("display.width", 200, "display.max_colwidth", 40):
            print(table.astype(object).fillna("").to_string(index=False))
        print(summary(comparison))
        status = status or (0 if agree(comparison) else 1)
    return status


def _positive(kind):
    def parse(text: str):
        try:
            number = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not number > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
        return number

    return parse


def parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``python -m newsfigures``."""
    top = argparse.ArgumentParser(
        prog="python -m newsfigures",
        description="Turn the figures quoted in news articles into tidy, sourced tables, check them against "
        "reference data and build a story's HTML and PDF report. Start with 'build' (the example story) or "
        "'new' (a story of your own); 'COMMAND --help' tells more.",
        epilog="Errors caused by input print one line on stderr and exit with status 1; usage errors exit "
        "with status 2.",
    )
    top.add_argument("--version", action="version", version=f"newsfigures {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, verb in (("new", "make a story folder from an article"), ("add", "register another article in a story")):
        n = commands.add_parser(
            name,
            help=f"{verb}: drafted figure sheet, sources row, sections",
            description=(
                "Make the story folder DIR (new or empty) from one article: figures.csv drafted by extraction "
                "(source KEY, as_of the publication date), sources.csv with the article's citation and the "
                "SHA-256 of its text, story.toml, and thin notebooks to edit (a figures section and one per kind "
                "of figure the draft holds: counts, shares, money, estimates over time)."
                if name == "new"
                else "Register another article in the story DIR: its citation is appended to sources.csv and its "
                "drafted figures to figures.csv (ids continue; nothing already there changes); sections the new "
                "figures need are added. A key already registered is an error."
            )
            + " On any error nothing is written.",
        )
        n.add_argument("folder", type=Path, metavar="DIR", help="the story folder")
        n.add_argument(
            "--article",
            type=Path,
            required=True,
            metavar="FILE",
            help="the article's text (UTF-8); - reads standard input, kept in the story as articles/KEY.txt",
        )
        n.add_argument("--source", required=True, metavar="KEY", help="the article's key (sheet column 'source')")
        n.add_argument("--outlet", required=True, metavar="NAME", help="who published it")
        n.add_argument("--title", required=True, metavar="TEXT", help="its headline")
        n.add_argument("--published", required=True, metavar="YYYY-MM-DD", help="its publication date")
        n.add_argument("--url", metavar="URL", help="where it was published")
        n.set_defaults(func=_new if name == "new" else _add)

    b = commands.add_parser(
        "build",
        help="execute the notebooks and render the HTML and PDF report",
        description="Execute a story's notebooks (only those whose inputs changed) and render one HTML and one "
        "PDF report. Without --story, the example story (data/story.toml).",
    )
    b.add_argument("--story", type=Path, metavar="DIR", help="story folder or story file (default: data/story.toml)")
    b.add_argument("--sheet", type=Path, help="figure sheet CSV (default: the story's figures.csv)")
    b.add_argument("--out", type=Path, help="report folder (default: the story's reports/)")
    b.add_argument("--data-out", type=Path, help="folder for processed tables (default: the story's processed/)")
    b.add_argument("--reference", type=Path, help="reference data folder (default: the story's, if any)")
    b.add_argument(
        "--article",
        type=Path,
        help="article text, for the sections that read it (default: ../shared/seeds/article.txt if present)",
    )
    b.add_argument(
        "--notebooks", type=Path, help="build every NN_*.ipynb in this folder instead of the story's sections"
    )
    b.add_argument("--jobs", "-j", type=_positive(int), help="notebooks to execute at once (default: one per core)")
    b.add_argument(
        "--timeout",
        type=_positive(float),
        default=900.0,
        help="whole-build time limit in seconds, over every stage: execution, tables, HTML, PDF (default: 900)",
    )
    b.add_argument(
        "--max-output",
        type=_positive(int),
        default=2_000_000,
        metavar="BYTES",
        help="size limit of one cell's outputs in the report, text and images; past it the report "
        "shows them cut, with a note (default: 2000000; text is also cut after 1,000 lines)",
    )
    b.add_argument("--force", action="store_true", help="ignore the cache and rebuild everything")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    b.set_defaults(func=_build)

    r = commands.add_parser(
        "reference",
        help="rebuild the World Bank reference extract from raw WDI files",
        description="Read raw World Bank WDI files (bulk API_<code>_DS2_*.csv downloads, long "
        "'Country Name, Country Code, Year, Value' tables, open-numbers DDF "
        "datapoints) listed in <out>/raw_files.csv, keep the areas in "
        "<out>/countries.csv, and write <out>/wdi_extract.csv. Where <out> "
        "lacks raw_files.csv or countries.csv (a new or empty folder), they are "
        "read from data/reference/; every reference file <out> lacks "
        "(raw_files.csv, countries.csv, brics_membership.csv, checks.csv, "
        "SOURCES.md) is then copied there from data/reference/, so that "
        "'build --reference <out>' can use it. Raw files are checked as a release: "
        "each ends at a row boundary, the World is at least the sum of its members, "
        "no level changes beyond a stated bound in a year, every area kept has "
        "the years the World has (population always; other series where an older "
        "release has them), and no value of the "
        "existing extract disappears. On any error nothing is written "
        "and the existing extract is left as it was.",
    )
    r.add_argument(
        "--from",
        dest="raw_dir",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder of raw files; raw_files.csv paths are relative to it (e.g. ../shared/reference/raw)",
    )
    r.add_argument(
        "--out",
        type=Path,
        help="reference folder to write, new or existing; missing reference files "
        "are copied from data/reference/ (default: data/reference/)",
    )
    r.add_argument("--since", type=int, default=2015, help="first year kept (default: 2015)")
    r.add_argument(
        "--accept-changes",
        action="store_true",
        help="write the extract even though values of the existing one changed beyond rounding "
        "(without it such a refresh prints what changed and writes nothing)",
    )
    r.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    r.set_defaults(func=_reference)

    e = commands.add_parser(
        "extract",
        help="list the figures quoted in an article's text",
        description="Extract every figure quoted in a plain-text article (UTF-8) as "
        "one row per figure: value, bounds, unit, qualifier, attribution, "
        "surface, offsets, sentence and kind (the first nine are columns of a figure "
        "sheet). With --draft-sheet it writes a whole sheet instead "
        "(figure_01, figure_02, ...; topic 'other'; a placeholder measure to "
        "rewrite; --as-of and --source on every row) that 'check --sheet' "
        "accepts; set the topics before 'build --sheet'.",
    )
    e.add_argument("article", type=Path, help="the article's text file (UTF-8), or - to read standard input")
    e.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    e.add_argument("--out", type=Path, help="write to this file instead of standard output")
    e.add_argument(
        "--draft-sheet", action="store_true", help="write a figure sheet (CSV) to edit, instead of the extraction table"
    )
    e.add_argument("--source", metavar="KEY", help="with --draft-sheet: the article's key (sheet column 'source')")
    e.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="with --draft-sheet: the date the figures refer to (sheet column 'as_of'; "
        "default with --story: the article's publication date in its sources file)",
    )
    e.add_argument("--story", type=Path, metavar="DIR", help="with --draft-sheet: the story whose sources register KEY")
    e.set_defaults(func=_extract, parser=e)

    c = commands.add_parser(
        "check",
        help="reconcile a figure sheet with an article's text",
        description="Compare each row of a figure sheet with the figure extracted at "
        "its offsets in the text; list figures in the text that the sheet "
        "lacks. Exit status 0 when they agree, 1 when they differ.",
    )
    c.add_argument(
        "article",
        type=Path,
        nargs="?",
        help="the article's text file (UTF-8), or - to read standard input; with --story it may be left out to "
        "check every article whose text the story keeps (sources.csv text_path)",
    )
    c.add_argument("--sheet", type=Path, help="figure sheet CSV (default: the story's, else data/article/figures.csv)")
    c.add_argument(
        "--story",
        type=Path,
        metavar="DIR",
        help="the story whose sheet to check (its sources checked too); only the rows of the article whose "
        "SHA-256 matches the text are compared",
    )
    c.set_defaults(func=_check, parser=c)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except NewsfiguresError as exc:
        print(f"newsfigures {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file or folder the user named cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"newsfigures {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:  # a dependency is missing: the environment is not set up
        print(
            f"newsfigures {args.command}: error: the Python package {exc.name!r} is not installed; "
            "run 'make setup' (or 'make report', which sets up first)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt as exc:
        # Ctrl-C (SIGINT, 2) or, for a build, SIGTERM (15): the shell's 128 + signal number.
        signum = getattr(exc, "signum", 2)
        what = "terminated" if signum == 15 else "interrupted"
        print(f"newsfigures {args.command}: {what}; outputs were left as they were", file=sys.stderr)
        return 128 + signum
