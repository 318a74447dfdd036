"""Language resources as one object: the shipped files and yours, per kind.

``Resources`` knows, for each kind of resource, the files shipped in
``src/analysis/resources/`` and your own (by default in ``data/resources/``),
loads each once (on the object, never in module state), hands each stage what
it reads, can be sent to worker processes (only the file lists travel; a worker
loads them again) and gives the build cache a fingerprint per stage.

One rule for every kind: your files **extend** the shipped ones (a later file
wins for the same word, alias or topic label); ``replace=True`` (or
``replace={"lexicon", ...}``) leaves the shipped files of those kinds out
wherever you give files of that kind.

=========== ============================== ============================== ==========================
kind        shipped                        yours (in the folder)          read by
=========== ============================== ============================== ==========================
userdict    userdict.txt                   userdict.txt                   tokens, mentions
stopwords   stopwords_zh.txt, _en.txt      stopwords.txt                  tokens
lexicon     topics.yaml                    topics.yaml, topics.csv        topics (and chart labels)
registry    entities.csv                   entities.csv                   mentions
surnames    surnames_zh.txt                surnames.txt                   mentions
=========== ============================== ============================== ==========================

``Resources("my/folder")``, ``Resources("my/topics.yaml")`` (one file, its kind
from its name), ``Resources(None)`` (the shipped files alone), or per kind:
``Resources(lexicon=["a.yaml", "b.csv"], registry="mine.csv")``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis import config

# kind -> (shipped file names, your file names)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "userdict": (("userdict.txt",), ("userdict.txt",)),
    "stopwords": (("stopwords_zh.txt", "stopwords_en.txt"), ("stopwords.txt",)),
    "lexicon": (("topics.yaml",), ("topics.yaml", "topics.csv")),
    "registry": (("entities.csv",), ("entities.csv",)),
    "surnames": (("surnames_zh.txt",), ("surnames.txt",)),
    "speakers": ((), ("speakers.yaml",)),  # who is who, for every transcript (see parse/cast.py)
}
# stage -> the kinds it reads: the one place this is written.
STAGES: dict[str, tuple[str, ...]] = {
    "parse": ("speakers",),
    "tokens": ("userdict", "stopwords"),
    "mentions": ("registry", "surnames", "userdict"),
    "topics": ("lexicon",),
}
_DEFAULT = object()  # "the user's folder from config", told apart from None (no folder)


def _as_paths(arg) -> tuple[Path, ...]:
    if arg is None:
        return ()
    if isinstance(arg, (str, os.PathLike)):
        return (Path(arg),)
    return tuple(Path(a) for a in arg)


def _kind_of(path: Path) -> str:
    for kind, (shipped, mine) in KINDS.items():
        if path.name in mine or path.name in shipped:
            return kind
    names = ", ".join(n for _, mine in KINDS.values() for n in mine)
    raise ValueError(f"{path}: not a resource file name this toolkit knows ({names})")


class Resources:
    """The language resources every stage, the cache, the charts and the notebooks share.

    ``user``: a folder of your files (default ``config.USER_RESOURCES_DIR``,
    that is ``data/resources/``), one resource file, or None for none.
    ``replace``: False (yours extend the shipped files), True (yours replace them,
    kind by kind) or a collection of kinds to replace. Keyword arguments
    ``userdict=``, ``stopwords=``, ``lexicon=``, ``registry=``, ``surnames=``:
    more files of that kind, after the folder's.
    """

    def __init__(self, user=_DEFAULT, *, replace: bool | Iterable[str] = False, **files):
        unknown = set(files) - set(KINDS)
        if unknown:
            raise TypeError(f"unknown resource kind(s) {sorted(unknown)}; the kinds are {list(KINDS)}")
        if isinstance(user, Resources):
            raise TypeError("Resources(Resources(...)): pass the object itself instead")
        self.user = config.USER_RESOURCES_DIR if user is _DEFAULT else (None if user is None else Path(user))
        if self.user is not None and self.user.exists() and not (self.user.is_dir() or self.user.is_file()):
            raise ValueError(f"{self.user}: neither a folder nor a file")
        self.extra = {k: _as_paths(v) for k, v in files.items() if v is not None}
        self.replace = frozenset(KINDS if replace is True else () if replace is False else replace)
        if self.replace - set(KINDS):
            raise ValueError(f"replace={sorted(self.replace - set(KINDS))}: the kinds are {list(KINDS)}")
        self._memo: dict = {}

    # -- which files -----------------------------------------------------------------
    def shipped_files(self, kind: str) -> tuple[Path, ...]:
        """The package's own files of ``kind``."""
        return tuple(config.RESOURCES_DIR / n for n in KINDS[kind][0])

    def user_files(self, kind: str) -> tuple[Path, ...]:
        """Your files of ``kind``: the folder's (looked up each time, so a file added
        later counts), then the ones given by keyword. A missing given file is an error."""
        found: list[Path] = []
        u = self.user
        if u is not None and u.is_dir():
            found += [u / n for n in KINDS[kind][1] if (u / n).is_file()]
        elif u is not None and u.is_file() and _kind_of(u) == kind:
            found.append(u)
        elif u is not None and not u.exists() and u != config.USER_RESOURCES_DIR:
            raise FileNotFoundError(f"{u}: no such resource folder or file")
        for p in self.extra.get(kind, ()):
            if not p.is_file():
                raise FileNotFoundError(f"{p}: no such {kind} file")
            found.append(p)
        return tuple(found)

    def files(self, kind: str) -> tuple[Path, ...]:
        """Every file of ``kind`` a stage reads, in order (a later file wins)."""
        mine = self.user_files(kind)
        if mine and kind in self.replace:
            return mine
        return (*self.shipped_files(kind), *mine)

    # -- loading, once -----------------------------------------------------------------
    def memo(self, name: str, kinds: tuple[str, ...], make: Callable[[Resources], object]):
        """``make(self)``, computed once per object and per state of the files of
        ``kinds`` (an edited or added file is read again). Stages keep what they
        derive from the resources here (a loaded engine, a compiled registry)."""
        key = (name, _stamp(f for k in kinds for f in self.files(k)))
        if key not in self._memo:
            for old in [k for k in self._memo if k[0] == name]:
                del self._memo[old]
            self._memo[key] = make(self)
        return self._memo[key]

    def userdict(self):
        """The user dictionary entries: word, freq, tag (a later file wins for a word)."""
        from analysis import engines

        return self.memo("userdict", ("userdict",), lambda r: engines.read_userdicts(r.files("userdict")))

    def stopwords(self) -> frozenset[str]:
        """The norms of every stopword."""
        from analysis import segment

        return self.memo("stopwords", ("stopwords",), lambda r: segment.read_wordlists(r.files("stopwords")))

    def lexicon(self):
        """The topic lexicon: topic, keyword, key, label_<lang>... (a copy)."""
        from analysis import topics

        return self.memo("lexicon", ("lexicon",), lambda r: topics.read_lexicons(r.files("lexicon"))).copy()

    def topic_labels(self, lang: str = "zh") -> dict[str, str]:
        """Topic -> what a chart in ``lang`` shows (``label_<lang>``, else the name)."""
        from analysis import topics

        return topics.topic_labels(lang, self)

    def registry(self):
        """The entity registry: entity, type, alias, key (a copy)."""
        from analysis import entities

        return entities.load_registry(self)

    def surnames(self) -> tuple[frozenset[str], frozenset[str]]:
        """(single-character, compound) Chinese surnames."""
        from analysis import entities

        return self.memo("surnames", ("surnames",), lambda r: entities.read_surnames(r.files("surnames")))

    def speakers(self) -> tuple[dict[str, str], tuple[str, ...]]:
        """The folder-wide speaker file(s) as metadata keys (``speakers.说话人1``,
        ``interviewers`` ...) for every transcript, and the warnings reading them gave."""
        from analysis.parse.cast import read_sidecar

        def read(r: Resources):
            keys: dict[str, str] = {}
            warnings: list[str] = []
            for path in r.files("speakers"):
                more, said = read_sidecar(path)
                keys.update(more)
                warnings += said
            return keys, tuple(warnings)

        return self.memo("speakers", ("speakers",), read)

    # -- the cache ---------------------------------------------------------------------
    def fingerprint(self, stage: str) -> str:
        """A hash of the names and bytes of every file ``stage`` reads (see ``STAGES``)."""
        h = hashlib.sha256()
        for kind in STAGES[stage]:
            h.update(f"[{kind}]".encode())
            for p in self.files(kind):
                h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
        return h.hexdigest()

    # -- worker processes --------------------------------------------------------------
    def __getstate__(self) -> dict:
        return {"user": self.user, "extra": self.extra, "replace": self.replace}  # no loaded state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _memo={})

    def __repr__(self) -> str:
        extra = "".join(f", {k}={[str(p) for p in v]}" for k, v in self.extra.items())
        rep = f", replace={sorted(self.replace)}" if self.replace else ""
        return f"Resources({str(self.user) if self.user else None!r}{extra}{rep})"


def read_text(path) -> str:
    """A resource file's text (UTF-8, a byte-order mark allowed)."""
    return Path(path).read_text(encoding="utf-8-sig")


def _stamp(paths) -> tuple[tuple[str, int, int], ...]:
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise FileNotFoundError(f"{p}: no such file") from None
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


_SHARED: dict[tuple, Resources] = {}


def shared(user=_DEFAULT) -> Resources:
    """One ``Resources(user)`` per process for a folder (or None: the shipped files
    alone), so that calls which pass no resources load them once. Since the object
    reads the files again when they change, sharing it never serves stale data."""
    key = str(config.USER_RESOURCES_DIR if user is _DEFAULT else user)
    if key not in _SHARED:
        _SHARED[key] = Resources(user)
    return _SHARED[key]


def resolve(resources=None, *, replace: Iterable[str] = (), **files) -> Resources:
    """What a stage function's arguments mean: a ``Resources`` object as given;
    else the shipped files plus the files given by keyword (kinds in ``replace``
    leave the shipped files out, as the old ``lexicon=`` did); else the shared
    shipped-only object."""
    given = {k: v for k, v in files.items() if v is not None}
    if isinstance(resources, Resources):
        if given:
            raise TypeError(f"give either resources= or {', '.join(given)}=, not both")
        return resources
    if resources is not None:
        raise TypeError(f"resources={resources!r}: a Resources object (analysis.language.Resources)")
    if not given:
        return shared(None)
    return Resources(None, replace=set(replace) & set(given), **given)
