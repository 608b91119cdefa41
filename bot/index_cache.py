"""The knowledge and its routing index kept on disk between runs, so `rolebot ask` starts fast: keyed by
the knowledge files' bytes and the code that builds the index, rebuilt whenever either changes."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

from bot.index import Index
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, load_knowledge

log = logging.getLogger(__name__)
_BOT = Path(__file__).parent
# The code that shapes a built index (and defines what is pickled): every top-level module of bot/,
# so a module the index comes to use is never left out of the key (a stale index was loaded when the
# duty and word-form modules were added but not listed).


def _key(knowledge_dir: Path | None) -> str:
    digest = hashlib.sha256(sys.version.encode())
    base = knowledge_dir or bundled_knowledge_dir()
    folder = base / "teams" if (base / "teams").is_dir() else base
    for path in [
        *sorted(_BOT.glob("*.py")),
        *sorted((_BOT / "lexicon").glob("*.txt")),
        *sorted(folder.glob("*.yaml")),
    ]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def load_indexed(knowledge_dir: Path | None, cache_dir: Path | None) -> tuple[KnowledgeBase, Index]:
    """The knowledge and its index: from the cache when it matches, else built (and cached if possible).
    The cache is this user's own folder; a file that cannot be read is rebuilt, never trusted half-way."""
    if cache_dir is None:
        kb = load_knowledge(knowledge_dir)
        return kb, Index(kb)
    path = cache_dir / f"index-{_key(knowledge_dir)}.pickle"
    try:
        with path.open("rb") as stream:
            kb, index = pickle.load(stream)
        if isinstance(kb, KnowledgeBase) and isinstance(index, Index):
            return kb, index
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or foreign cache file: rebuild it
        log.warning("index cache %s unreadable (%s): rebuilding", path, exc)
    kb = load_knowledge(knowledge_dir)
    index = Index(kb)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False) as written:
            pickle.dump((kb, index), written, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written.name, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError as exc:
        log.info("index cache %s not written: %s", path, exc)
    return kb, index
