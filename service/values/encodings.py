"""The encoding a client names for an uploaded text file: a real text encoding or a 422."""

from __future__ import annotations

import codecs
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# Codecs Python calls text encodings that are no way to save a file: they turn escape
# sequences into lone surrogates (which no database stores), or are for host names, or
# refuse everything.
_NOT_FILE_ENCODINGS = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
)


def _text_encoding(value: str) -> str:
    try:
        info = codecs.lookup(value)
    except LookupError:
        raise ValueError(f"'{value}' is not an encoding Python knows (e.g. gb18030)") from None
    # base64, hex, rot13, zlib...: byte or string transforms, not encodings of text.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        raise ValueError(f"'{value}' is not a text encoding a file can be saved in")
    return value


TextEncoding = Annotated[str, StringConstraints(max_length=40), AfterValidator(_text_encoding)]
