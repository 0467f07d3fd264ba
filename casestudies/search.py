"""What a search query means, the same on every database: its words, matched word by word.

A query is split into words (letters and digits, lower case, accents removed); English stop words
are dropped; each remaining word must appear, in any of a case study's texts (see
``CaseStudyQuerySet.search()``), in the same English (Snowball, "Porter 2") stemmed form: ``sharing``
finds "shared" and "shares", ``waste`` finds "Waste and recycling".

* PostgreSQL does this itself: the stored search document (``casestudies.derived``) is
  ``to_tsvector('english', translate(…, ACCENTED, UNACCENTED))`` and the query is ``plainto_tsquery('english', …)`` of
  :func:`query_words`. Its ``english`` configuration uses the Snowball English stemmer and the
  Snowball English stop-word list (:data:`STOP_WORDS` is that list).
* Elsewhere (the embedded SQLite default) the database calls :func:`text_stems` (registered as the SQL
  function ``ctl_stems`` on each new connection by :func:`register_sqlite_functions`), with the stemmer
  of the ``snowballstemmer`` package: the same algorithm.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import snowballstemmer
from django.db import models

# PostgreSQL's english.stop (share/tsearch_data/english.stop), the Snowball English stop words: words a
# search ignores. tests/casestudies/test_search.py checks it against PostgreSQL.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that these
    those am is are was were be been being have has had having do does did doing a an the and but if or
    because as until while of at by for with about against between into through during before after above
    below to from up down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too very s t can
    will just don should now""".split()
)

SQLITE_STEMS_FUNCTION = "ctl_stems"
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("english")


def _accent_pairs() -> tuple[str, str]:
    """Every Latin letter with accents (U+00C0 to U+024F) and its letter without them: 'é' -> 'e'.
    Letters that are not an accented ASCII letter (ß, æ, ø) stay as they are."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha():
            accented.append(chr(code))
            plain.append(base)
    return "".join(accented), "".join(plain)


# The same folding in Python and in PostgreSQL's built-in translate() (no extension needed).
ACCENTED, UNACCENTED = _accent_pairs()
_FOLD = str.maketrans(ACCENTED, UNACCENTED)


def _fold(text: str) -> str:
    """Lower case without accents: 'Ynys Môn' -> 'ynys mon'."""
    return text.translate(_FOLD).lower()


def query_words(text: str) -> list[str]:
    """The words of a query that must each appear: folded, without stop words, in order, once each."""
    words = [word for word in _WORD.findall(_fold(text)) if word not in STOP_WORDS]
    return list(dict.fromkeys(words))


@functools.lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The Snowball English stem of one folded word: 'sharing' -> 'share'."""
    return _stemmer.stemWord(word)


def text_stems(text: str | None) -> str:
    """Every word of ``text`` as its stem, space-separated, with a space at each end, so that a stem
    is found with ``LIKE '% stem %'`` (the SQL function ``ctl_stems`` on SQLite)."""
    if not text:
        return " "
    return " " + " ".join(stem(word) for word in _WORD.findall(_fold(text))) + " "


class TextStems(models.Func):
    """``ctl_stems(text)`` (SQLite only): see :func:`text_stems`."""

    function = SQLITE_STEMS_FUNCTION
    output_field = models.TextField()


def has_stem(expression: Any, word: str) -> models.lookups.Lookup:
    """A condition: ``word``'s stem is one of the stems of ``expression`` (SQLite only)."""
    return models.lookups.Contains(TextStems(expression), f" {stem(word)} ")


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On each new SQLite connection, register ``ctl_stems`` (connected in ``CaseStudiesConfig.ready``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_STEMS_FUNCTION, 1, text_stems, deterministic=True)
