"""Translations for test assertions: pages and API answers come in the user's language
(zh-Hans unless they chose English), so tests expect the translated text, looked up here."""

from __future__ import annotations

from django.utils import translation


def zh(text: str) -> str:
    """``text`` as a Simplified Chinese user reads it (the compiled project catalogue)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)
