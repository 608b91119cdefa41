"""Traditional and Simplified Chinese: questions in either script meet knowledge written in Traditional."""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_lock = threading.Lock()


@cache
def _converter(config: str) -> Any:
    import opencc  # loaded on the first Chinese question only: it costs ~75 ms

    return opencc.OpenCC(config)


def _convert(text: str, config: str) -> str:
    if not _HAN.search(text):
        return text
    with _lock:  # one OpenCC converter object is not documented as thread-safe
        return str(_converter(config).convert(text))


def to_traditional(text: str) -> str:
    """Simplified characters (Mainland usage) converted to Traditional as written in Taiwan."""
    return _convert(text, "s2twp")


def to_simplified(text: str) -> str:
    return _convert(text, "t2s")
