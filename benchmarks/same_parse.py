"""Does a change to the parser keep its output? Dump what it makes of many transcripts, compare two dumps.

    python benchmarks/same_parse.py dump OUT.pkl [FOLDER ...]   # default: data/raw, ../shared/corpus, tests/data
    python benchmarks/same_parse.py compare A.pkl B.pkl

A dump holds, per transcript, every line as ``read_lines`` classified it (all its
fields) and the turns table rows ``build`` makes of it. Make one dump before the
change (``git stash``, or with ``PYTHONPATH`` pointing at a copy of the old
``src/``) and one after; ``compare`` prints the first differences and exits 1
when there are any.
"""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "data" / "raw", ROOT.parent / "shared" / "corpus", ROOT / "tests" / "data")


def plain(value):
    """A value of ``Line.extra`` that pickles and compares: a regex match as what it matched, where."""
    if isinstance(value, re.Match):
        return ("match", value.span(), tuple(sorted(value.groupdict().items(), key=str)))
    if isinstance(value, (tuple, list)):
        return tuple(plain(v) for v in value)
    return value


def line_fields(ln) -> tuple:
    return (ln.start, ln.end, ln.kind.value, ln.para_start, ln.label_end, ln.name, ln.note, ln.style, ln.rest,
            tuple(sorted((k, plain(v)) for k, v in ln.extra.items())))


def dump(out: Path, folders: list[Path]) -> int:
    import pandas as pd

    from analysis.corpus import build
    from analysis.corpus.files import find_transcripts
    from analysis.load import TranscriptError, read_transcript
    from analysis.parse.lines import read_lines

    result = {}
    for folder in folders:
        if not folder.exists():
            print(f"{folder}: not there, skipped", file=sys.stderr)
            continue
        for path in find_transcripts(folder):
            try:
                doc = read_transcript(path)
            except TranscriptError:
                continue
            result[f"lines:{path}"] = [line_fields(ln) for ln in read_lines(doc.text, doc.body_start)]
        tables = build(folder, progress=False, resources=None)
        for name in ("turns", "documents"):
            result[f"{name}:{folder}"] = tables[name].drop(columns=["path"], errors="ignore")
    out.write_bytes(pickle.dumps(result))
    print(f"{out}: {sum(k.startswith('lines:') for k in result)} transcripts", file=sys.stderr)
    return 0


def compare(a: Path, b: Path) -> int:
    import pandas as pd

    old, new = pickle.loads(a.read_bytes()), pickle.loads(b.read_bytes())
    bad = 0
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        if x is None or y is None:
            bad += 1
            print(f"{key}: only in {'the new' if x is None else 'the old'} dump")
            continue
        if isinstance(x, pd.DataFrame):
            try:
                pd.testing.assert_frame_equal(x, y)
            except AssertionError as exc:
                bad += 1
                print(f"{key}: {str(exc)[:500]}")
            continue
        if x == y:
            continue
        bad += 1
        for i, (u, v) in enumerate(zip(x, y)):
            if u != v:
                print(f"{key} item {i}:\n  old {str(u)[:300]}\n  new {str(v)[:300]}")
                break
        else:
            print(f"{key}: {len(x)} items, then {len(y)}")
    print(f"{len(old)} entries compared: {'identical' if not bad else f'{bad} differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "dump":
        sys.exit(dump(Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]] or list(FOLDERS)))
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    sys.exit(__doc__)
