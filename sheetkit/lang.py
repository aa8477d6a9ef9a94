"""The language of what people read: role workbooks' headers and sheet names, reports, CLI lines.

Texts live as data in ``locales/messages.yaml`` (key -> ``zh`` and ``en``), so a
translation is fixed without touching code. The machine-facing contract (Lineage
columns, CRM import columns, preflight codes) is never translated.

The language (``en``, ``zh`` or ``both``) is the ``--lang`` option, else ``lang`` in the
config, else ``SHEETKIT_LANG``, else the system locale (``zh*`` -> Chinese), else English;
``run``'s report skips the locale and stays bilingual (``report_lang``). Only the CLI
resolves it, so library code is given a ``Messages`` and never reads the environment.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import ConfigError
from .resources import messages_path

LANGS = ("en", "zh", "both")  # "both": Chinese and English side by side, as the report shows them
ENV_VAR = "SHEETKIT_LANG"
_JOIN = " · "  # between the Chinese and the English of one text, as the report's macros join them


def system_lang(env: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``SHEETKIT_LANG``, else the system locale as
    POSIX looks it up (LC_ALL first; ``zh*`` is Chinese), else English.

    >>> system_lang({"LANG": "zh_CN.UTF-8"}), system_lang({"LC_ALL": "C.UTF-8", "LANG": "zh_CN"}), system_lang({})
    ('zh', 'en', 'en')
    >>> system_lang({"SHEETKIT_LANG": "both", "LANG": "zh_CN.UTF-8"})
    'both'

    Raises:
        ConfigError: ``SHEETKIT_LANG`` set to something other than en, zh or both.
    """
    env = os.environ if env is None else env
    if chosen := env_lang(env):
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := env.get(var):
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def env_lang(env: Mapping[str, str] | None = None) -> str | None:
    """``SHEETKIT_LANG`` when set (a person's explicit choice, unlike the locale), else None.

    Raises:
        ConfigError: it is set to something other than en, zh or both.
    """
    value = (os.environ if env is None else env).get(ENV_VAR, "").strip().lower()
    if value and value not in LANGS:
        raise ConfigError(f"{ENV_VAR}={value!r}: expected one of {', '.join(LANGS)}")
    return value or None


def resolve_lang(option: str | None, configured: str | None, env: Mapping[str, str] | None = None) -> str:
    """``--lang``, else the config's ``lang``, else ``SHEETKIT_LANG``, else the system locale, else English.

    >>> resolve_lang(None, "zh", {"LANG": "en_US"}), resolve_lang("en", "zh"), resolve_lang(None, "", {"LANG": "zh_TW"})
    ('zh', 'en', 'zh')
    """
    return option or configured or system_lang(env)


def report_lang(option: str | None, configured: str | None, env: Mapping[str, str] | None = None) -> str:
    """The language of ``run``'s report: as ``resolve_lang`` but without the system locale,
    which says what the person at the terminal reads, not the people the report is for;
    unset, the report keeps both languages side by side.

    >>> report_lang(None, "", {"LANG": "zh_CN.UTF-8"}), report_lang(None, "", {"SHEETKIT_LANG": "zh"}), report_lang("en", "zh")
    ('both', 'zh', 'en')
    """
    return option or configured or env_lang(env) or "both"


@dataclass(frozen=True)
class Text:
    """A catalogue text as a value in another, said in that text's language (in "both",
    the Chinese line gets the Chinese word and the English line the English one)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Messages:
    """The catalogue in one language (or both); calling it formats a text by key.

    Besides str.format's specs, a count can choose its noun: ``{rows:|row|rows}`` is
    "1 row", "2,000 rows" (English needs it; Chinese texts write ``{rows:,} 行``).
    """

    lang: str
    texts: Mapping[str, Mapping[str, str]]

    def __call__(self, key: str, **values: object) -> str:
        """The text for ``key`` with ``{placeholders}`` filled; an unknown key is shown as itself.
        In "both", the Chinese and the English joined on one line (the same text once).

        >>> both = load_messages("both")
        >>> both("sheet.Customers")
        '客户 · Customers'
        >>> both.lines("run.fail_on", count=2, level=Text("severity.error"), option="error")
        ['退出码 3：发现 2 个错误级别（或更严重）的问题（--fail-on error）', 'exit code 3: 2 issues of severity error or worse (--fail-on error)']
        """
        return _JOIN.join(self.lines(key, **values))

    def lines(self, key: str, **values: object) -> list[str]:
        """The text for ``key`` once, or in "both" the Chinese then the English, for a
        terminal that prints each on its own line.

        >>> load_messages("en").lines("n.row", n=2_000), load_messages("zh").lines("n.row", n=1)
        (['2,000 rows'], ['1 行'])
        """
        langs = ("zh", "en") if self.lang == "both" else (self.lang,)
        texts = [self._text(lang, key, values) for lang in langs]
        return texts[:1] if len(set(texts)) == 1 else texts

    def said(self, text: str) -> str | Text:
        """A text the library says in English, as the ``lib.*`` entry whose English it
        matches whole (so it is said in the reader's language), else the text as it is.

        >>> zh = load_messages("zh")
        >>> zh("read.skipped", file="a - 副本.xlsx", message=zh.said("identical copy of a.xlsx"))
        '已跳过：a - 副本.xlsx：与 a.xlsx 完全相同的副本'
        >>> zh.said("a reason no entry knows")
        'a reason no entry knows'
        """
        for key, pattern in _library_patterns(self.texts):
            if found := pattern.fullmatch(text):
                return Text(key, found.groupdict())
        return text

    def only(self, lang: str) -> Messages:
        """The same catalogue in one language."""
        return Messages(lang, self.texts)

    def _text(self, lang: str, key: str, values: Mapping[str, object]) -> str:
        entry = self.texts.get(key)
        if entry is None:
            return key
        values = {k: self._text(lang, v.key, v.values) if isinstance(v, Text) else v for k, v in values.items()}
        return _FORMATTER.vformat(str(entry.get(lang) or entry.get("en") or key), (), values)

    def column(self, name: str) -> str:
        """A column's header for people: ``column.<name>`` in the catalogue, else the name."""
        return self(f"column.{name}") if f"column.{name}" in self.texts else name

    def sheet(self, name: str) -> str:
        """A sheet's name for people: ``sheet.<name>`` in the catalogue, else the name."""
        return self(f"sheet.{name}") if f"sheet.{name}" in self.texts else name


class _CountFormatter(string.Formatter):
    """str.format plus ``{n:SPEC|one|other}``: the count (formatted by SPEC, default ``,``)
    and its noun, singular for 1.

    >>> _FORMATTER.format("{a:|file|files}, {b:>5,|file|files}, {c:.1f}", a=1, b=2500, c=0.25)
    '1 file, 2,500 files, 0.2'
    """

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            spec, one, other = (format_spec.split("|") + [""])[:3]
            return f"{format(value, spec or ',')} {one if value == 1 else other or one}"
        return super().format_field(value, format_spec)


_FORMATTER = _CountFormatter()
_PATTERNS: dict[int, tuple[Mapping, list[tuple[str, re.Pattern[str]]]]] = {}


def _library_patterns(texts: Mapping[str, Mapping[str, str]]) -> list[tuple[str, re.Pattern[str]]]:
    """The ``lib.*`` entries' English as patterns, each placeholder matching any text."""
    cached = _PATTERNS.get(id(texts))
    if cached is None or cached[0] is not texts:
        patterns = []
        for key, entry in texts.items():
            if key.startswith("lib."):
                parts = [re.escape(literal) + (f"(?P<{name}>.+?)" if name else "")
                         for literal, name, _, _ in string.Formatter().parse(str(entry.get("en", "")))]
                patterns.append((key, re.compile("".join(parts), re.S)))
        cached = _PATTERNS[id(texts)] = (texts, patterns)
    return cached[1]


def load_messages(lang: str, path: Path | None = None) -> Messages:
    """The catalogue (bundled ``locales/messages.yaml`` unless ``path``) in ``lang``.

    Raises:
        ConfigError: an unknown language, or a catalogue that cannot be read.
    """
    if lang not in LANGS:
        raise ConfigError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    return Messages(lang, _catalogue(str(path or messages_path())))


@lru_cache(maxsize=4)
def _catalogue(path: str) -> Mapping[str, Mapping[str, str]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the message catalogue {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(f"message catalogue {path}: expected key: {{zh: ..., en: ...}} entries")
    return data
