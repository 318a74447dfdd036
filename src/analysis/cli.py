"""The command line: ``analysis build``, ``analysis charts``, ``analysis review``, ``analysis quotes``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from analysis import config


def _build(args: argparse.Namespace) -> int:
    from analysis.corpus import build, write_tables
    from analysis.corpus.files import check_writable
    from analysis.corpus.tables_io import csv_left_out

    check_writable(args.out, raw=args.raw)  # before the work, not after it
    tables = build(args.raw, encoding=args.encoding, workers=args.workers, engine=args.engine,
                   cache_dir=None if args.no_cache else config.CACHE_DIR, progress=args.progress,
                   resources=_resources(args))
    written = write_tables(tables, args.out, csv=args.csv, xlsx=args.xlsx, raw=args.raw)
    docs, errors = tables["documents"], tables["errors"]
    for row in docs.itertuples(index=False):
        warn = f"  warnings: {row.warnings}" if row.warnings else ""
        print(f"{row.doc_id}: {row.n_turns} turns, {row.n_exchanges} exchanges ({row.encoding}){warn}")
    for row in errors.itertuples(index=False):
        print(f"FAILED {row.error}", file=sys.stderr)
    counts = ", ".join(f"{len(df)} {name}" for name, df in tables.items() if name != "errors")
    print(f"wrote {len(written)} files to {args.out}: {counts}")
    for name in csv_left_out(tables, args.csv):
        print(f"left out {name}.csv: {len(tables[name]):,} rows, more than a spreadsheet holds "
              f"(1,048,575 and the header); {name}.parquet has them all. "
              "`analysis build --csv all` writes it anyway, `--csv none` writes no CSV")
    if len(errors):
        print(f"{len(errors)} of {len(errors) + len(docs)} files failed (see above)", file=sys.stderr)
        return 1
    return 0


def _charts(args: argparse.Namespace) -> int:
    from analysis.corpus import read_tables
    from analysis.report import export_standard_charts

    tables = read_tables(args.processed)
    # The same resources as the build: your own topics get their labels too.
    paths = export_standard_charts(tables, out_dir=args.out, formats=tuple(args.format), doc_id=args.doc,
                                   lexicon=_resources(args))
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


def _review(args: argparse.Namespace) -> int:
    from analysis.corpus import build, read_tables
    from analysis.review import REVIEW_DIR, write_review

    if args.processed is not None:
        tables = read_tables(args.processed)
    else:
        tables = build(args.raw, workers=config.WORKERS, cache_dir=config.CACHE_DIR, resources=_resources(args))
        for row in tables["errors"].itertuples(index=False):
            print(f"FAILED {row.error}", file=sys.stderr)
    written = write_review(tables, args.out or REVIEW_DIR)
    n = len(written) - 1
    print(f"wrote {n} review page{'' if n == 1 else 's'}; open {written[-1]}")
    return 1 if args.processed is None and len(tables["errors"]) else 0


def _encoding(name: str) -> str:
    """``--encoding``: a codec Python knows, else a usage error (exit 2)."""
    from analysis.corpus.pipeline import known_encoding

    try:
        return known_encoding(name)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _resources(args: argparse.Namespace):
    """The language resources of ``--resources`` (default data/resources/) and ``--replace-resources``."""
    from analysis.language import Resources

    return Resources(args.resources, replace=args.replace_resources)


def _add_resource_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--resources", type=Path, default=config.USER_RESOURCES_DIR,
                   help="your own language resources, a folder or one file (default: %(default)s)")
    p.add_argument("--replace-resources", action="store_true",
                   help="your resource files replace the shipped ones of their kind instead of extending them")


def _quotes(args: argparse.Namespace) -> int:
    from analysis.corpus import build, read_tables
    from analysis.quotes import format_citation, to_quotes

    tables = read_tables(args.processed) if args.processed is not None else build(
        args.raw, workers=config.WORKERS, cache_dir=config.CACHE_DIR, resources=_resources(args))
    roles = None if args.role == "any" else [args.role]
    quotes = to_quotes(tables, args.term, regex=args.regex, roles=roles, speaker=args.speaker, doc_id=args.doc)
    for row in quotes.to_dict("records"):
        print(format_citation(row), end="\n\n")
    where = f"{args.role} turns" if roles else "all turns"
    print(f"{len(quotes)} quote{'' if len(quotes) == 1 else 's'} of {args.term!r} in {where}", file=sys.stderr)
    return 0 if len(quotes) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="analysis", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="transcripts in the raw folder -> tables in the processed folder")
    b.add_argument("--raw", type=Path, default=config.RAW_DIR, help="a transcript file or a folder of them (default: %(default)s)")
    b.add_argument("--out", type=Path, default=config.PROCESSED_DIR, help="where tables go (default: %(default)s)")
    b.add_argument("--encoding", type=_encoding,
                   help="force this encoding for every file (e.g. gb18030, big5hkscs, shift_jis, cp1252)")
    b.add_argument("--csv", choices=["fit", "all", "none"], default="fit",
                   help="CSV files beside the Parquet ones: for the tables that fit in a spreadsheet "
                        "(default), for all, or none")
    b.add_argument("--xlsx", action="store_true",
                   help="also write tables.xlsx: documents, turns, exchanges, topics and mentions, a sheet each")
    b.add_argument("--workers", type=int, default=config.WORKERS,
                   help="processes to use for many files (default: %(default)s)")
    b.add_argument("--engine", choices=["rjieba", "jieba"], default="rjieba",
                   help="segmentation engine: fast rjieba (default) or the jieba reference")
    b.add_argument("--no-cache", action="store_true",
                   help="process every file again instead of reusing the cache in .cache/")
    b.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when many files and a terminal)")
    _add_resource_options(b)
    b.set_defaults(func=_build)

    c = sub.add_parser("charts", help="tables in the processed folder -> the standard set of charts")
    c.add_argument("--processed", type=Path, default=config.PROCESSED_DIR, help="tables to read (default: %(default)s)")
    c.add_argument("--out", type=Path, default=config.FIGURES_DIR, help="where charts go (default: %(default)s)")
    c.add_argument("--format", nargs="+", default=["png", "svg", "pdf"], choices=["png", "svg", "pdf"],
                   help="file formats (default: png svg pdf)")
    c.add_argument("--doc", help="only this doc_id (default: every document)")
    _add_resource_options(c)
    c.set_defaults(func=_charts)

    r = sub.add_parser("review", help="one HTML page per transcript, to check its turns by eye")
    r.add_argument("--raw", type=Path, default=config.RAW_DIR, help="a transcript file or a folder of them (default: %(default)s)")
    r.add_argument("--processed", type=Path, help="read the tables `analysis build` wrote here instead of building")
    r.add_argument("--out", type=Path, help="where the pages go (default: reports/review/ in the project)")
    _add_resource_options(r)
    r.set_defaults(func=_review)

    q = sub.add_parser("quotes", help="every place a term is said, as citations ready to paste")
    q.add_argument("term", help="a word or name (英伟达 also finds NVIDIA), or a regular expression with --regex")
    q.add_argument("--regex", action="store_true", help="TERM is a regular expression")
    q.add_argument("--raw", type=Path, default=config.RAW_DIR, help="transcripts to build (default: %(default)s)")
    q.add_argument("--processed", type=Path, help="read the tables `analysis build` wrote here instead of building")
    q.add_argument("--speaker", help="only this speaker")
    q.add_argument("--role", default="answer", choices=["answer", "question", "remark", "narration", "any"],
                   help="only turns of this role (default: %(default)s)")
    q.add_argument("--doc", help="only this doc_id")
    _add_resource_options(q)
    q.set_defaults(func=_quotes)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except (OSError, ValueError) as exc:  # bad paths, output problems, another build holding the lock
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
