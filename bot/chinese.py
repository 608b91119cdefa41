"""Traditional and Simplified Chinese: questions in either script meet knowledge written in Traditional."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
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


def to_traditional(text: str, known: Callable[[str], bool] | None = None) -> str:
    """Simplified characters (Mainland usage) converted to Traditional as written in Taiwan. Taiwan
    phrasing (软件 -> 軟體) can match across a word boundary (库存|盘点: 存盘 'save a file' -> 存檔);
    with `known` words, a character keeps its plain conversion where only that forms a known word."""
    phrased = _convert(text, "s2twp")
    if known is None:
        return phrased
    plain = _convert(text, "s2tw")
    if len(plain) != len(phrased):
        return phrased
    chars = list(phrased)
    for i, (own, taiwan) in enumerate(zip(plain, phrased, strict=True)):
        if own != taiwan and _forms_word(plain, i, known) and not _forms_word(phrased, i, known):
            chars[i] = own
    if len(text) == len(chars):
        # a character as typed stays where only it forms a known word (儀表板 typed in Traditional is
        # not Taiwan phrasing's 儀錶板)
        converted = "".join(chars)
        for i, typed in enumerate(text):
            if typed != chars[i] and _forms_word(text, i, known) and not _forms_word(converted, i, known):
                chars[i] = typed
    return "".join(chars)


def _forms_word(text: str, i: int, known: Callable[[str], bool]) -> bool:
    return any(
        known(text[start : start + 2]) for start in (i - 1, i) if start >= 0 and start + 2 <= len(text)
    )


def to_simplified(text: str) -> str:
    return _convert(text, "t2s")
