"""ISO 3166-1 alpha-2 country codes and ISO 639-1 language codes, with English names.

The tables are in ``codes.json`` beside this module, generated from pycountry 26.2.16
(ISO data from Debian iso-codes): regenerate them rather than edit.
"""

from __future__ import annotations

import json
from pathlib import Path

_TABLES = json.loads((Path(__file__).with_name("codes.json")).read_text(encoding="utf-8"))

COUNTRIES: dict[str, str] = dict(_TABLES["countries"])
LANGUAGES: dict[str, str] = dict(_TABLES["languages"])
