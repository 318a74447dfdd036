"""Who is who, as the user says it: front matter keys or a sidecar file.

The keys (in a transcript's front matter, in ``NAME.yaml`` next to ``NAME.md``, or in
a folder-wide ``speakers.yaml`` in the resources folder)::

    speakers:                 # label as written -> the name to use
      说话人1: 张三
    interviewers: [张三]       # who asks (names after renaming)
    interviewees: [李四]       # who answers
    moderators: []            # hand-offs and thanks: neither questions nor answers
    not_speakers: [提要]       # label-like strings that are not speakers

Front matter arrives flattened (lists joined with ", ", nested keys dotted:
``speakers.说话人1``); a sidecar is read the same way, so both give the same ``Cast``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from analysis.load import load_yaml
from analysis.parse.speakers import ANSWERER, ASKER, HOST, Cast, role_of_word

KEYS = ("speakers", "interviewers", "interviewees", "moderators", "not_speakers")
_SPLIT = re.compile(r"\s*[,，、;；]\s*")


def _names(value: str) -> set[str]:
    return {v.strip() for v in _SPLIT.split(value or "") if v.strip()}


def cast_from_metadata(metadata: dict[str, str]) -> Cast:
    cast = Cast(interviewers=_names(metadata.get("interviewers", "")),
                interviewees=_names(metadata.get("interviewees", "")),
                moderators=_names(metadata.get("moderators", "")),
                not_speakers=_names(metadata.get("not_speakers", "")))
    sides = {ASKER: cast.interviewers, ANSWERER: cast.interviewees, HOST: cast.moderators}
    for key, value in metadata.items():
        if not key.startswith("speakers.") or not value.strip():
            continue
        # "说话人1: 主持人 张三": a role word before the name says the side too
        role, _, name = value.strip().partition(" ")
        side = role_of_word(role) if name.strip() else None
        cast.rename[key.split(".", 1)[1]] = name.strip() if side else value.strip()
        if side in sides:
            sides[side].add(name.strip())
    return cast


def sidecar_path(transcript: Path) -> Path:
    return transcript.with_suffix(".yaml")


def read_sidecar(path: Path) -> tuple[dict[str, str], list[str]]:
    """A speaker file -> flattened metadata keys, and warnings (a broken file is one)."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"))  # bounded: an alias bomb is a YAMLError
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        return {}, [f"speaker file {path.name}{where} is not valid YAML ({getattr(e, 'problem', e)}); ignored"]
    except (OSError, UnicodeDecodeError) as e:
        return {}, [f"speaker file {path.name} could not be read ({e}); ignored"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"speaker file {path.name} must be a mapping of {', '.join(KEYS)}; ignored"]
    out: dict[str, str] = {}
    warnings = []
    for key, value in data.items():
        if key not in KEYS:
            warnings.append(f"speaker file {path.name}: unknown key {key!r} (known: {', '.join(KEYS)})")
            continue
        if key == "speakers":
            if not isinstance(value, dict):
                warnings.append(f"speaker file {path.name}: 'speakers' must map labels to names")
                continue
            out.update({f"speakers.{k}": str(v) for k, v in value.items()})
        else:
            out[key] = ", ".join(value) if isinstance(value, list) else str(value or "")
    return out, warnings
