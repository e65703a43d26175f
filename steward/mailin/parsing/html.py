"""HTML mail to plain text, dropping quoted replies (blockquote, Gmail/Yahoo/Outlook quotes)."""

from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = frozenset(
    {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
)
SKIPPED = frozenset({"script", "style", "head", "title", "blockquote"})
# Containers that mail clients put the quoted conversation in.
QUOTE_CLASSES = frozenset({"gmail_quote", "yahoo_quoted", "moz-cite-prefix", "divRplyFwdMsg"})
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        # Open elements, each with whether it hides its content.
        self.stack: list[tuple[str, bool]] = []

    @property
    def hidden(self) -> bool:
        return any(hides for _, hides in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        if tag in VOID:
            return
        names = {
            name for key, value in attrs if key in {"class", "id"} for name in (value or "").split()
        }
        self.stack.append((tag, tag in SKIPPED or bool(names & QUOTE_CLASSES)))
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        # Unclosed inner elements (<p> without </p>) end with their container.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(" ".join(data.split()) if data.strip() else " " if data else "")


def html_to_text(html: str) -> str:
    """The visible text of ``html``: one line per block, quoted replies left out."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
