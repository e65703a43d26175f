"""Charset rules for Chinese (and other East Asian) mail.

Mail labelled GB2312 or GBK is very often really GBK/GB18030 (characters outside GB2312 are
common in names), so those labels are always decoded as GB18030, its superset. Big5 is read
as Big5-HKSCS, ks_c_5601-1987 as CP949, and ISO-8859-1 as Windows-1252, for the same reason.
"""

from __future__ import annotations

import codecs

ALIASES = {
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "euc-cn": "gb18030",
    "euccn": "gb18030",
    "x-gbk": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}
# Raw 8-bit text with no usable label: UTF-8 first, then the Chinese default.
FALLBACK = "gb18030"


def normalise_charset(label: str | None) -> str | None:
    """The codec to decode text labelled ``label`` with (None: unknown or no label)."""
    if not label:
        return None
    name = label.strip().strip('"').lower()
    name = ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """Decode ``data`` by its label (with the rules above); without a usable label, as UTF-8
    if it is valid UTF-8, else as GB18030. Undecodable bytes become U+FFFD, never an error."""
    codec = normalise_charset(label)
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(codec or FALLBACK, errors="replace")
