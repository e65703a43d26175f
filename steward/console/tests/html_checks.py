"""Test helper: find form controls that have no accessible label."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self._open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "label":
            self._open_labels += 1
            if values.get("for"):
                self.label_for.add(values["for"] or "")
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and (values.get("type") or "text") in _SKIPPED_TYPES:
                return
            if "hidden" in values:
                return
            values["_tag"] = tag
            values["_wrapped"] = "yes" if self._open_labels else None
            self.controls.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._open_labels:
            self._open_labels -= 1


def unlabelled_controls(html: str) -> list[str]:
    """Describe every input/select/textarea without ``<label for>``, a wrapping label,
    ``aria-label`` or ``aria-labelledby``."""
    parser = _Controls()
    parser.feed(html)
    missing = []
    for control in parser.controls:
        labelled = (
            (control.get("id") and control["id"] in parser.label_for)
            or control.get("_wrapped")
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not labelled:
            name, ident = control.get("name"), control.get("id")
            missing.append(f"<{control['_tag']} name={name!r} id={ident!r}>")
    return missing
