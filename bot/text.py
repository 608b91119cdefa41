"""Text analysis for routing: normalising, script-aware tokenising, stop words and stemming per language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

import Stemmer  # PyStemmer: Snowball stemmers in C

_SNOWBALL = {"en": "english", "sv": "swedish", "nl": "dutch"}
LATIN_LANGUAGES: tuple[str, ...] = ("en", "sv", "nl")

# Runs of one script: Latin letters/digits (with inner - ' . / &), Han characters, Hangul syllables.
_RUNS = re.compile(
    r"(?P<latin>[0-9a-zà-ÿ]+(?:[-'’.&/][0-9a-zà-ÿ]+)*)|(?P<han>[\u3400-\u9fff\uf900-\ufaff]+)|(?P<hangul>[\uac00-\ud7a3]+)"
)

# Function words and the generic "who handles / is responsible for" vocabulary of questions: they say
# nothing about WHICH team, so they must not count as evidence (nor as unmatched evidence).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """a an the of to in on at for from by with about into onto over under and or but not no is are was were
        be been being am do does did doing done have has had having i me my mine we us our ours you your yours he
        him his she her they them their it its this that these those there here what which who whom whose when
        where why how can could would should shall will may might must need needs want wants please hi hello hey
        thanks thank any anyone anybody someone somebody something everyone one ones if so then than just also
        very really too get got gets getting go goes going let lets know tell ask asking asked question questions
        contact talk speak reach handles handle handled handling manage manages managed managing responsible
        responsibility charge care takes take taking deal deals dealing look looks looking after person people
        team teams department group whose job role work works working own owns owner accountable in-charge
        sort sorts sorting call typically usually normally currently now today help helps""".split()
    ),
    "sv": frozenset(
        """en ett den det de dem denna detta dessa och eller men inte ingen inget är var varit vara blir blev bli
        har hade ha jag mig min mitt mina vi oss vår vårt våra du dig din ditt dina han honom hans hon henne
        hennes dom deras vem vilka vilken vilket vad när var varför hur kan kunde skulle ska skall vill måste
        behöver får fick till i på av för från med om över under efter mot vid hos som så då än också bara
        mycket hej tack någon något några alla man fråga frågor kontakta prata hanterar hantera hanteras
        ansvarar ansvarig ansvariga ansvar ansvaret tar ta hand sköter sköta sköts jobbar arbetar team teamet
        avdelning avdelningen grupp roll rollen vänder vända ens sig sin sitt sina nu idag där här""".split()
    ),
    "nl": frozenset(
        """de het een en of maar niet geen is zijn was waren ben bent wordt worden werd heb hebt heeft hebben had
        ik mij me mijn wij we ons onze jij je jou jouw u uw hij hem zijn zij ze haar hun hen wie wat welke welk
        wanneer waar waarom hoe kan kunnen kon zou zouden zal zullen wil willen moet moeten mag mogen naar in op
        aan van voor met over onder na bij om uit als dan ook maar alleen erg heel hallo hoi dank bedankt
        iemand iets iedereen alle vraag vragen contact contacteren praten behandelt behandelen beheert beheren
        regelt regelen verantwoordelijk verantwoordelijke verantwoordelijkheid zorgt zorgen neemt nemen team
        teams afdeling groep rol doet doen er hier daar nu vandaag terecht ga gaat""".split()
    ),
}

# Chinese and Korean question scaffolding, removed before n-grams are taken.
ZH_STOP_PHRASES: tuple[str, ...] = tuple(
    sorted(
        """請問 請 問 誰 是誰 哪個 哪一個 哪位 哪裡 什麼 甚麼 怎麼 如何 應該 該 可以 能 要 想 找 負責 處理 管理 管
        團隊 部門 小組 人員 的 了 嗎 呢 吧 啊 是 有 在 和 與 及 我 我們 你 你們 他 他們 這 那 個 一下 由 給 跟 對 把
        被 會 都 也 就 還 聯絡 聯繫 問題 事情 相關""".split(),
        key=len,
        reverse=True,
    )
)
KO_STOPWORDS: frozenset[str] = frozenset(
    """누가 누구 누구에게 누구한테 어디 어디에 어디에서 무엇 뭐 무슨 어떤 어떻게 왜 언제 어느 팀 팀은 팀이 부서 담당
    담당자 담당팀 책임 책임자 처리 관리 문의 질문 저 제 저희 우리 이 그 저것 이것 그것 있나요 있어요 해요 하나요
    합니까 인가요 입니까 알려 주세요 좀 하는 하고 해야 하면 되나요 돼요 할 수 있는""".split()
)
# Korean particles and verb endings stripped from the end of a word, longest first.
KO_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        """은 는 이 가 을 를 에 에서 에게 한테 의 로 으로 와 과 도 만 부터 까지 이나 나 랑 이랑 께서 께 요 이에요
        예요 이요 입니다 합니다 하나요 하니 해요 했어요 해야 하는 하고 하면 하기 되나요 됐어요 되었어요 됩니다 이라
        라는 인가요 인지 나요 는지 은지 었어요 았어요 어요 아요 습니다 ㅂ니다 세요 가요 이죠 죠 까요 을까요 ㄹ까요""".split(),
        key=len,
        reverse=True,
    )
)


def normalise(text: str) -> str:
    """NFKC, lower case, curly quotes straightened: the form every comparison uses."""
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'")


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_SNOWBALL[language])


@cache
def stem(word: str, language: str) -> str:
    """Snowball stem of a Latin-script word in `language` (en when the language has no stemmer)."""
    return str(_stemmer(language if language in _SNOWBALL else "en").stemWord(word))


_KO_SUFFIX_SET = frozenset(KO_SUFFIXES)
_KO_SUFFIX_LENGTHS = sorted({len(s) for s in KO_SUFFIXES}, reverse=True)


@cache
def strip_korean(word: str) -> str:
    """Drop trailing particles/endings from a Korean word (반품은 -> 반품, 처리하나요 -> 처리)."""
    for _ in range(2):
        for size in _KO_SUFFIX_LENGTHS:
            if len(word) > size and word[-size:] in _KO_SUFFIX_SET:
                word = word[:-size]
                break
        else:
            break
    return word


def _han_tokens(run: str) -> Iterator[str]:
    for phrase in ZH_STOP_PHRASES:
        run = run.replace(phrase, " ")
    for piece in run.split():
        if len(piece) == 1:
            yield piece
        for i in range(len(piece) - 1):
            yield piece[i : i + 2]


def _hangul_tokens(run: str) -> Iterator[str]:
    if run in KO_STOPWORDS:
        return
    word = strip_korean(run)
    if not word or word in KO_STOPWORDS:
        return
    yield word
    for i in range(len(word) - 1):
        yield word[i : i + 2]


def latin_words(text: str) -> list[str]:
    """The Latin-script words of `text`, normalised, hyphenated forms kept whole and split."""
    words: list[str] = []
    for match in _RUNS.finditer(normalise(text)):
        word = match.group("latin")
        if word:
            word = word.strip("'.")
            words.append(word)
            if "-" in word or "/" in word:
                words.extend(part for part in re.split(r"[-/]", word) if part)
    return words


def script_runs(text: str) -> Iterator[tuple[str, str]]:
    """(script, run) pairs where script is latin, han or hangul."""
    for match in _RUNS.finditer(normalise(text)):
        kind = match.lastgroup
        if kind:
            yield kind, match.group(kind)


def is_stopword(word: str) -> bool:
    return any(word in words for words in STOPWORDS.values())


def cjk_tokens(text: str) -> list[str]:
    """Chinese bigrams and Korean stems + bigrams of `text`."""
    tokens: list[str] = []
    for kind, run in script_runs(text):
        if kind == "han":
            tokens.extend(_han_tokens(run))
        elif kind == "hangul":
            tokens.extend(_hangul_tokens(run))
    return tokens
