"""The language of what people read: role workbooks' headers and sheet names, reports, CLI lines.

Texts live as data in ``locales/messages.yaml`` (key -> ``zh`` and ``en``), so a
translation is fixed without touching code. The machine-facing contract (Lineage
columns, CRM import columns, preflight codes) is never translated.

The language is the ``--lang`` option, else ``lang`` in the config, else the system
locale (``zh*`` -> Chinese, anything else -> English); only the CLI resolves it, so
library code is given a ``Messages`` and never reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import ConfigError
from .resources import messages_path

LANGS = ("zh", "en")


def system_lang(env: Mapping[str, str] | None = None) -> str:
    """The language the system locale asks for, as POSIX looks it up (LC_ALL first).

    >>> system_lang({"LANG": "zh_CN.UTF-8"}), system_lang({"LC_ALL": "C.UTF-8", "LANG": "zh_CN"}), system_lang({})
    ('zh', 'en', 'en')
    """
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := env.get(var):
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def resolve_lang(option: str | None, configured: str | None, env: Mapping[str, str] | None = None) -> str:
    """``--lang``, else the config's ``lang``, else the system locale.

    >>> resolve_lang(None, "zh", {"LANG": "en_US"}), resolve_lang("en", "zh"), resolve_lang(None, "", {"LANG": "zh_TW"})
    ('zh', 'en', 'zh')
    """
    return option or configured or system_lang(env)


@dataclass(frozen=True)
class Messages:
    """The catalogue in one language; calling it formats a text by key."""

    lang: str
    texts: Mapping[str, Mapping[str, str]]

    def __call__(self, key: str, **values: object) -> str:
        """The text for ``key`` with ``{placeholders}`` filled; an unknown key is shown as itself."""
        entry = self.texts.get(key)
        if entry is None:
            return key
        return str(entry.get(self.lang) or entry.get("en") or key).format(**values)

    def column(self, name: str) -> str:
        """A column's header for people: ``column.<name>`` in the catalogue, else the name."""
        return self(f"column.{name}") if f"column.{name}" in self.texts else name

    def sheet(self, name: str) -> str:
        """A sheet's name for people: ``sheet.<name>`` in the catalogue, else the name."""
        return self(f"sheet.{name}") if f"sheet.{name}" in self.texts else name


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
