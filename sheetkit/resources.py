"""Finds the bundled schema, templates, CRM profiles, roles and messages, in a checkout or in an installed wheel.

This is the only module that knows where bundled files live. In a checkout they
sit at the top of the tree (where users see and copy them); the wheel carries the
same files inside the package as ``sheetkit/data``.
"""

from __future__ import annotations

from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _bundled(folder: str) -> Path:
    in_checkout = _CHECKOUT / folder
    if in_checkout.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return in_checkout
    return Path(__file__).resolve().parent / "data" / folder


def default_schema_path() -> Path:
    """The customer schema that ships with sheetkit."""
    return _bundled("schemas") / "customer.yaml"


def templates_dir() -> Path:
    """The folder of Jinja2 templates for the HTML report."""
    return _bundled("templates")


def profiles_dir() -> Path:
    """The folder of CRM import profiles (``<crm>.yaml``) and share roles (``roles.yaml``)."""
    return _bundled("profiles")


def messages_path() -> Path:
    """The catalogue of texts people read, in Chinese and English (lang.py)."""
    return _bundled("locales") / "messages.yaml"
