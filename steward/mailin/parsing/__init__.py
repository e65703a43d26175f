"""Reading an e-mail: pure functions, no database (see steward/mailin/README.md).

``parse`` turns the raw bytes into a ``ParsedMail``; ``kind_of`` says whether it is a person's
mail or an automatic reply, a bounce or a read receipt; ``reply_text`` keeps only what the
sender wrote (no quoted reply, no signature).
"""

from steward.mailin.parsing.charsets import decode_bytes, normalise_charset
from steward.mailin.parsing.kinds import MailKind, kind_of
from steward.mailin.parsing.message import MailPart, ParsedMail, ParseError, parse
from steward.mailin.parsing.quotes import reply_text

__all__ = [
    "MailKind",
    "MailPart",
    "ParseError",
    "ParsedMail",
    "decode_bytes",
    "kind_of",
    "normalise_charset",
    "parse",
    "reply_text",
]
