"""Citations as data: the documents twinmotor's presets and models rely on, by key.

The bibliography ships with the package as BibTeX (``twinmotor/data/CITATIONS.bib``), one entry per
document: manufacturer figures, test standards, books and papers. A vehicle preset cites keys in
square brackets in its comments; a model registers the keys of the documents it uses, so that a run
can list what it relied on (the way ``pybamm.print_citations()`` does):

    # source: [nissan2019leafeplusawd] system output 227 kW / 680 Nm    (in a preset)
    register("pacejka2012tire", "iso3888-2_2011")                      (in a model)

    >>> from twinmotor import citations
    >>> citations.format_entry("gillespie1992fundamentals")
    'Gillespie, Thomas D. (1992). Fundamentals of Vehicle Dynamics. Society of Automotive Engineers.'

The parser reads the subset of BibTeX the file uses: ``@type{key, field = {value}, ...}`` with values
in braces (nested braces kept as text), in double quotes or bare (``year = 2012``), spanning lines;
``%`` comment lines and ``@comment``/``@preamble``/``@string`` blocks are skipped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

from twinmotor.errors import ParameterError

#: Where the bibliography lives inside the package.
BIB_RESOURCE = "data/CITATIONS.bib"

#: Fields that say who published a document; every entry has at least one.
PUBLISHER_FIELDS = ("publisher", "organization", "institution", "journal")

#: A key cited in a comment: ``[key]`` or several in one bracket, ``[key1, key2]`` / ``[key1; key2]``.
_KEY = r"[a-z][a-z0-9_.:+-]*"
_CITE = re.compile(rf"\[\s*({_KEY}(?:\s*[,;]\s*{_KEY})*)\s*\]")
_SKIPPED_TYPES = {"comment", "preamble", "string"}
_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_ENTRY_KEY = re.compile(r"\s*([^\s,{}()=]+)\s*,")
_FIELD_NAME = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)\s*=\s*")
_BARE_VALUE = re.compile(r"[A-Za-z0-9_.:+-]+")

_collectors: list[list[str]] = []
_used: list[str] = []


def parse_bibtex(text: str, source: str = "bibliography") -> dict[str, dict[str, str]]:
    """``{key: {field: value}}`` from BibTeX text; the entry type is under ``"entry_type"``.

    Field names are lower-cased; values keep their inner braces (``{LEAF}``) and have their line
    breaks and indentation collapsed to single spaces.

    Raises
    ------
    ParameterError
        an entry that is not closed, a field without ``=`` or value, or a key given twice; the
        message names `source` and the line.
    """
    entries: dict[str, dict[str, str]] = {}
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "%":
            i = _line_end(text, i)
            continue
        if c != "@":
            i += 1
            continue
        start = i
        m = _ENTRY_START.match(text, i)
        if m is None:
            raise ParameterError(f"{source}, line {_line(text, i)}: '@' not followed by an entry type and '{{'")
        entry_type = m.group(1).lower()
        close = "}" if m.group(2) == "{" else ")"
        i = m.end()
        if entry_type in _SKIPPED_TYPES:
            i = _skip_block(text, i, close, source, start)
            continue
        m = _ENTRY_KEY.match(text, i)
        if m is None:
            raise ParameterError(f"{source}, line {_line(text, start)}: @{entry_type} entry without a key and ','")
        key = m.group(1)
        i = m.end()
        fields: dict[str, str] = {"entry_type": entry_type}
        while True:
            i = _skip_space(text, i)
            if i >= n:
                raise ParameterError(f"{source}, line {_line(text, start)}: entry '{key}' is not closed")
            if text[i] == close:
                i += 1
                break
            m = _FIELD_NAME.match(text, i)
            if m is None:
                raise ParameterError(
                    f"{source}, line {_line(text, i)}: entry '{key}': expected 'field = {{value}}'")
            name = m.group(1).lower()
            value, i = _read_value(text, m.end(), source, key)
            fields[name] = " ".join(value.split())
            i = _skip_space(text, i)
            if i < n and text[i] == ",":
                i += 1
        if key in entries:
            raise ParameterError(f"{source}, line {_line(text, start)}: key '{key}' is given twice")
        entries[key] = fields
    return entries


def _line(text: str, i: int) -> int:
    return text.count("\n", 0, i) + 1


def _line_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j + 1


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _skip_block(text: str, i: int, close: str, source: str, start: int) -> int:
    """Index after the end of a skipped block (``@comment{...}``), braces balanced."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
        elif c == close and depth == 0:
            return i + 1
        i += 1
    raise ParameterError(f"{source}, line {_line(text, start)}: block is not closed")


def _read_value(text: str, i: int, source: str, key: str) -> tuple[str, int]:
    """A field value starting at `i` and the index after it: ``{...}``, ``"..."`` or a bare word."""
    if i >= len(text):
        raise ParameterError(f"{source}: entry '{key}' ends inside a field")
    c = text[i]
    if c == "{":
        depth, j = 1, i + 1
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        if depth:
            raise ParameterError(f"{source}, line {_line(text, i)}: entry '{key}': unbalanced braces in a value")
        return text[i + 1:j - 1], j
    if c == '"':
        j = text.find('"', i + 1)
        if j < 0:
            raise ParameterError(f"{source}, line {_line(text, i)}: entry '{key}': unclosed quoted value")
        return text[i + 1:j], j + 1
    m = _BARE_VALUE.match(text, i)
    if m is None:
        raise ParameterError(f"{source}, line {_line(text, i)}: entry '{key}': a field has no value")
    return m.group(0), m.end()


@lru_cache(maxsize=1)
def _bibliography() -> dict[str, dict[str, str]]:
    text = resources.files("twinmotor").joinpath(BIB_RESOURCE).read_text(encoding="utf-8")
    return parse_bibtex(text, source=f"twinmotor/{BIB_RESOURCE}")


def load_bibliography() -> dict[str, dict[str, str]]:
    """twinmotor's bibliography, ``{key: {field: value}}`` (read once, then cached; a copy is
    returned, so changing it changes nothing for other callers)."""
    return {key: dict(fields) for key, fields in _bibliography().items()}


def _check(keys: Iterable[str]) -> list[str]:
    known = _bibliography()
    keys = list(keys)
    for key in keys:
        if not isinstance(key, str) or key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ParameterError(
                f"citation key {key!r} is not in twinmotor's bibliography (twinmotor/{BIB_RESOURCE}){hint} "
                "Add the document there or cite one of its keys."
            )
    return keys


def register(*keys: str) -> None:
    """Record that this process relies on the documents `keys` (each once, in first-use order).

    Raises
    ------
    ParameterError
        a key that is not in the bibliography (the message names it and suggests close keys);
        nothing is recorded then.
    """
    for key in _check(keys):
        if key not in _used:
            _used.append(key)
        for rec in _collectors:
            if key not in rec:
                rec.append(key)


@contextmanager
def collect():
    """The keys registered inside a `with` block, in first-use order (they are also kept in the
    process-wide `used()` list): `with collect() as keys: ...`."""
    rec: list[str] = []
    _collectors.append(rec)
    try:
        yield rec
    finally:
        _collectors.remove(rec)


def used() -> list[str]:
    """The keys registered in this process, in the order they were first registered."""
    return list(_used)


def clear() -> None:
    """Forget the registered keys (e.g. between two runs in one process)."""
    _used.clear()


def _plain(value: str) -> str:
    """A field value as text: protective braces and TeX escapes removed, ``--`` as a dash."""
    return value.replace("{", "").replace("}", "").replace("\\&", "&").replace("--", "-").strip()


def format_entry(key: str) -> str:
    """One line for the document `key`: ``Author/Org (year). Title. Publisher. URL``.

    The author is the ``author`` field (names joined by ``;``), else the organisation, institution
    or publisher; the publisher part is the journal (with volume, number and pages) or the first
    publishing field that is not already the author, followed by a report or document number
    (``SAE Technical Paper 2000-01-1633``) where the entry has one; parts a document lacks are left out.
    """
    entry = _bibliography()[_check([key])[0]]
    f = {name: _plain(value) for name, value in entry.items()}
    who = "; ".join(a.strip() for a in f["author"].split(" and ")) if "author" in f else ""
    if not who:
        who = next((f[k] for k in ("organization", "institution", "publisher") if f.get(k)), "")
    when = f.get("year", "n.d.")
    title = f.get("title", key)
    if f.get("edition"):
        title += f", {f['edition']} ed."
    if f.get("journal"):
        where = f["journal"]
        if f.get("volume"):
            where += f" {f['volume']}" + (f"({f['number']})" if f.get("number") else "")
        if f.get("pages"):
            where += f", {f['pages']}"
    else:
        where = next((f[k] for k in ("publisher", "institution", "organization") if f.get(k) and f[k] != who), "")
    parts = [f"{who} ({when})." if who else f"({when}).", title.rstrip(".") + "."]
    if where:
        parts.append(where.rstrip(".") + ".")
    if f.get("number") and not f.get("journal"):
        parts.append(" ".join(filter(None, (f.get("type"), f["number"]))).rstrip(".") + ".")
    if f.get("url"):
        parts.append(f["url"])
    return " ".join(parts)


def format_citations(keys: Iterable[str] | None = None) -> str:
    """The documents `keys` (default: those registered, see :func:`used`), one ``[key] entry`` line
    each, in the given order; an empty string when there are none."""
    keys = used() if keys is None else _check(keys)
    return "\n".join(f"[{key}] {format_entry(key)}" for key in dict.fromkeys(keys))


def preset_keys(text: str) -> list[str]:
    """The keys cited in a preset's TOML text, in order of first citation.

    Only comments count (the text after a ``#`` outside a quoted string); a citation is a key in
    square brackets, ``[nissan2019leafeplus]``, or several in one pair, ``[gillespie1992fundamentals,
    milliken1995race]``. Table headers (``[aero]``) and values are not read.
    """
    keys: dict[str, None] = {}
    for line in text.splitlines():
        comment = split_comment(line)[1]
        for group in _CITE.findall(comment):
            for key in re.split(r"\s*[,;]\s*", group):
                keys.setdefault(key, None)
    return list(keys)


def split_comment(text: str) -> tuple[str, str]:
    """Split a TOML line ``value  # comment`` at the first ``#`` outside a quoted string: (value,
    comment stripped); the comment is '' when there is none."""
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote is not None:
            if quote == '"' and c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return text[:i], text[i + 1:].strip()
        i += 1
    return text, ""
