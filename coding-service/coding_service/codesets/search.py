"""Type-ahead search over code titles: an inverted index built once, queried in microseconds.

Every code gets a static score: fewer title words (a closer match to a short query; words in
parentheses are nonessential modifiers and do not count), billable, a shorter code, and a header
with many billable codes under it (a main concept: E11 for "diabetes") rank higher. Codes are
numbered by that score (rank 0 is the best), so each word's posting list, sorted by rank, is
also sorted best first. A query walks the posting list of its rarest word from the front:

- every query word must be in the title; the last word also matches as a prefix while the user
  is still typing ("type 2 diab" finds "diabetes" and "diabetic"). Whether a code holds a word
  is read from a forward index (each code's sorted word ids), where the words starting with a
  prefix are one contiguous range of ids;
- titles that start with the first query word get a bonus;
- when fewer than `limit` codes hold every word, codes missing one word follow, scored lower.

The walk stops as soon as no later code can beat the ones kept, so a common query costs about
as much as the results it returns. When the words are rare together, the walk switches to set
intersection in C after a fixed number of codes.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain
from typing import Any, Literal

# Words that carry no meaning in a title search; "with" and "without" do, and stay.
STOPWORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of",
                       "on", "or", "s", "the", "to"})
WORD_COST = 10  # each title word
BILLABLE_BONUS = 5
CODE_CHARACTER_COST = 1
DESCENDANT_WEIGHT = 3  # times log2(1 + billable codes under the code)
START_BONUS = 15  # the title starts with the first query word
MISSING_WORD_PENALTY = 1000  # below every code that holds all the query words
MAX_QUERY_WORDS = 8
MAX_WORDS_FOR_PARTIAL = 4  # longer queries do not retry with a word left out
MAX_PREFIX_LISTS = 64  # posting lists merged when a prefix word drives the walk
WALK_LIMIT = 500  # codes checked one by one before switching to set intersection
NO_WORD = 0xFFFF  # first-word id of a code whose title has no indexed word

_WORD = re.compile(r"[a-z0-9]+")
_PARENTHESIZED = re.compile(r"\([^)]*\)")


def fold(text: str) -> str:
    """Lower case ASCII, accents dropped: "Charcôt's" -> "charcot's"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def split_words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def title_words(title: str) -> list[str]:
    """The distinct indexed words of a title, in order."""
    return list(dict.fromkeys(w for w in split_words(title) if w not in STOPWORDS))


def build_search_index(codes: Sequence[str], titles: Sequence[str],
                       billable: Sequence[bool]) -> dict[str, Any]:
    """The search index as plain data (lists, bytes) for the on-disk cache. `codes` must be
    sorted, so that the codes under a header follow it."""
    words_of = [title_words(title) for title in titles]
    static = [
        BILLABLE_BONUS * bool(billable[i])
        - WORD_COST * len(title_words(_PARENTHESIZED.sub(" ", titles[i])))
        - CODE_CHARACTER_COST * len(codes[i])
        + round(DESCENDANT_WEIGHT * math.log2(1 + descendants))
        for i, descendants in enumerate(_billable_descendants(codes, billable))
    ]
    rank_to_code = sorted(range(len(codes)), key=lambda i: (-static[i], i))
    vocabulary = sorted({word for words in words_of for word in words})
    if len(vocabulary) >= NO_WORD:
        raise ValueError("the vocabulary outgrew 16-bit word ids")
    word_id = {word: i for i, word in enumerate(vocabulary)}
    postings: list[list[int]] = [[] for _ in vocabulary]
    forward: list[list[int]] = []
    first_word = array("H")
    for rank, index in enumerate(rank_to_code):
        ids = [word_id[word] for word in words_of[index]]
        for i in ids:
            postings[i].append(rank)
        forward.append(sorted(ids))
        first_word.append(ids[0] if ids else NO_WORD)
    return {
        "vocabulary": vocabulary,
        "postings": _concatenate(postings, "I"),
        "forward": _concatenate(forward, "H"),
        "first_word": first_word.tobytes(),
        "rank_to_code": array("I", rank_to_code).tobytes(),
        "static": array("i", (static[i] for i in rank_to_code)).tobytes(),
    }


def _billable_descendants(codes: Sequence[str], billable: Sequence[bool]) -> list[int]:
    before = list(accumulate((bool(b) for b in billable), initial=0))
    counts = []
    for index, code in enumerate(codes):
        end = bisect_left(codes, code + "~", index + 1)  # "~" sorts after 0-9 and A-Z
        counts.append(before[end] - before[index + 1])
    return counts


def _concatenate(lists: list[list[int]], typecode: str) -> tuple[bytes, bytes]:
    offsets = array("I", [0])
    for values in lists:
        offsets.append(offsets[-1] + len(values))
    return offsets.tobytes(), array(typecode, chain.from_iterable(lists)).tobytes()


class _Term:
    """One query word: the vocabulary ids it matches (a range [low, high): one id for a whole
    word, every completion for a prefix) and their posting lists."""

    __slots__ = ("complete", "high", "low", "postings", "size")

    def __init__(self, low: int, high: int, postings: tuple[memoryview, ...]) -> None:
        self.low = low
        self.high = high
        self.postings = postings
        self.complete = len(postings) == high - low  # False when a long prefix was capped
        self.size = sum(len(p) for p in postings)

    def ranks(self) -> Iterator[int]:
        """Ranks holding the word, ascending, once each."""
        if len(self.postings) == 1:
            yield from self.postings[0]
            return
        previous = -1
        for rank in heapq.merge(*self.postings):
            if rank != previous:
                previous = rank
                yield rank


class SearchIndex:
    """Queries the index built by `build_search_index`, without copying its arrays."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._vocabulary: list[str] = data["vocabulary"]
        self._offsets, self._postings = _views(data["postings"], "I")
        self._forward_offsets, self._forward = _views(data["forward"], "H")
        self._first_word = memoryview(data["first_word"]).cast("H")
        self._rank_to_code = memoryview(data["rank_to_code"]).cast("I")
        self._static = memoryview(data["static"]).cast("i")

    def search(self, query: str, limit: int) -> list[int]:
        """Indexes (in code order) of the best `limit` codes for a title query."""
        terms = self._terms(query)
        known = [term for term in terms if term.size]
        if not known or limit < 1:
            return []
        missing = len(terms) - len(known)
        found = self._best(known, limit, MISSING_WORD_PENALTY * missing)
        if len(found) < limit and missing == 0 and 1 < len(known) <= MAX_WORDS_FOR_PARTIAL:
            seen = {rank for _, rank in found}
            partial = sorted(
                candidate
                for i in range(len(known))
                for candidate in self._best(known[:i] + known[i + 1:], limit,
                                            MISSING_WORD_PENALTY)
            )
            for candidate in partial:
                if len(found) == limit:
                    break
                if candidate[1] not in seen:
                    seen.add(candidate[1])
                    found.append(candidate)
        return [self._rank_to_code[rank] for _, rank in found]

    def _terms(self, query: str) -> list[_Term]:
        raw = split_words(query)
        typing_last_word = bool(query) and query[-1].isalnum() and bool(raw)
        words = [w for w in raw[:-1] if w not in STOPWORDS]
        if raw and (typing_last_word or raw[-1] not in STOPWORDS):
            words.append(raw[-1])
        words = list(dict.fromkeys(words))[:MAX_QUERY_WORDS]
        return [
            self._term(word, typing_last_word and i == len(words) - 1 and not word.isdigit())
            for i, word in enumerate(words)
        ]

    def _term(self, word: str, prefix: bool) -> _Term:
        low = bisect_left(self._vocabulary, word)
        if prefix:
            high = bisect_left(self._vocabulary, word + "\x7f", low)
        else:
            found = low < len(self._vocabulary) and self._vocabulary[low] == word
            high = low + 1 if found else low
        ids = list(range(low, high))
        if len(ids) > MAX_PREFIX_LISTS:
            # Only walking needs the lists; keep the completions that occur most.
            ids = sorted(ids, key=lambda i: self._offsets[i] - self._offsets[i + 1])
            ids = sorted(ids[:MAX_PREFIX_LISTS])
        postings = tuple(self._postings[self._offsets[i]:self._offsets[i + 1]] for i in ids)
        return _Term(low, high, postings)

    def _best(self, terms: list[_Term], limit: int, penalty: int) -> list[tuple[int, int]]:
        """The best `limit` codes holding every term, as (-score, rank), best first.

        Walks the rarest term in rank order, checking the others, until no later code can
        beat the ones kept; after WALK_LIMIT codes it intersects sets instead.
        """
        first = terms[0]
        driver, *others = sorted(terms, key=lambda term: term.size)
        ranges = [(term.low, term.high) for term in others]
        static, first_word = self._static, self._first_word
        forward, starts = self._forward, self._forward_offsets
        kept: list[tuple[int, int]] = []  # min-heap of (score, -rank): the worst kept on top

        def keep(rank: int) -> bool:
            """Consider a code holding the driver; False once no later code can enter."""
            if len(kept) == limit and static[rank] + START_BONUS <= kept[0][0]:
                return False
            start, end = starts[rank], starts[rank + 1]
            for low, high in ranges:  # the code's word ids are sorted: one bisect per word
                at = bisect_left(forward, low, start, end)
                if at == end or forward[at] >= high:
                    return True
            bonus = START_BONUS if first.low <= first_word[rank] < first.high else 0
            entry = (static[rank] + bonus, -rank)
            if len(kept) < limit:
                heapq.heappush(kept, entry)
            elif entry > kept[0]:
                heapq.heapreplace(kept, entry)
            return True

        last = -1
        for walked, rank in enumerate(driver.ranks(), start=1):
            if not keep(rank):
                return _ordered(kept, penalty)
            last = rank
            if walked == WALK_LIMIT:
                break
        else:
            return _ordered(kept, penalty)

        together = set(chain.from_iterable(driver.postings))
        for term in others:
            if term.complete:  # keep() checks the others word by word anyway
                together.intersection_update(chain.from_iterable(term.postings))
        for rank in sorted(r for r in together if r > last):
            if not keep(rank):
                break
        return _ordered(kept, penalty)


def _ordered(kept: list[tuple[int, int]], penalty: int) -> list[tuple[int, int]]:
    return sorted((penalty - score, -negative_rank) for score, negative_rank in kept)


def _views(
    pair: tuple[bytes, bytes], typecode: Literal["H", "I"]
) -> tuple[memoryview[int], memoryview[int]]:
    offsets, values = pair
    return memoryview(offsets).cast("I"), memoryview(values).cast(typecode)
