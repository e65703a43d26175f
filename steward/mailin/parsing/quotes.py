"""Keep what the sender wrote: cut the quoted conversation and the signature.

Recognised reply styles (the talon samples): Gmail and Apple Mail ("On ... wrote:", also
localised and wrapped over two lines), Android ("<date> <name> написал:" followed by quoted
lines), Outlook (a "From:" block with "Sent:"/"To:"/"Subject:", or "-----Original Message-----"),
Yahoo ("----- Original Message -----"), Chinese clients (Foxmail, QQ Mail, NetEase:
"发件人：", "------------------ 原始邮件 ------------------"), and "> " quoted lines.
"""

from __future__ import annotations

import re

SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|原始邮件|回复的原邮件|forwarded message)\s*-{2,}"
    r"|_{10,}|-{10,})\s*$",
    re.IGNORECASE,
)
WROTE = re.compile(
    r"^\s*(on\b.{0,200}\bwrote|在.{0,200}写道"
    r"|.{0,200}\b(написал|schrieb|a écrit|escribió))\s*[:：]?\s*$",
    re.IGNORECASE,
)
HEADER_START = re.compile(r"^\s*\*?(from|发件人|寄件者)\s*\*?\s*[:：]", re.IGNORECASE)
HEADER_FOLLOW = re.compile(
    r"^\s*\*?(sent|date|to|subject|cc|发送时间|时间|日期|收件人|主题|抄送)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
SIGNATURE = re.compile(r"^(-- ?|--|—— ?)$")
MOBILE_FOOTER = re.compile(
    r"^\s*(sent from my .{1,40}|get outlook for .{1,40}|发自我的.{1,20}|"
    r"sent from (yahoo|mail) .{0,40}|从我的.{1,20}发送)\s*$",
    re.IGNORECASE,
)


def reply_text(text: str) -> str:
    """``text`` without the quoted earlier messages, the signature and mobile footers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    kept = lines[:cut]
    for index, line in enumerate(kept):
        if SIGNATURE.match(line.rstrip()):
            kept = kept[:index]
            break
    while kept and (not kept[-1].strip() or MOBILE_FOOTER.match(kept[-1])):
        kept.pop()
    kept = [line.rstrip() for line in kept]
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept)


def _quote_start(lines: list[str]) -> int:
    """The index of the first line of the quoted conversation (len(lines): none)."""
    for index, line in enumerate(lines):
        if SEPARATOR.match(line) and _has_text_after(lines, index):
            return index
        if WROTE.match(line):
            return index
        joined = f"{line} {lines[index + 1]}" if index + 1 < len(lines) else line
        if line.strip() and WROTE.match(joined) and _quoted_follows(lines, index + 2):
            return index
        if line.rstrip().endswith((":", "：")) and _quoted_follows(lines, index + 1) and index:
            return index
        if HEADER_START.match(line) and _header_block(lines, index):
            return index
        if line.startswith(">") and all(not x.strip() or x.startswith(">") for x in lines[index:]):
            return index
    return len(lines)


def _has_text_after(lines: list[str], index: int) -> bool:
    return any(line.strip() for line in lines[index + 1 :])


def _quoted_follows(lines: list[str], index: int) -> bool:
    rest = [line for line in lines[index:] if line.strip()]
    return bool(rest) and rest[0].startswith(">")


def _header_block(lines: list[str], index: int) -> bool:
    """A "From:" line followed, within the next four lines, by two more header lines."""
    following = [line for line in lines[index + 1 : index + 5] if HEADER_FOLLOW.match(line)]
    return len(following) >= 2
