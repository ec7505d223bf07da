"""How well a piece of text names an indicator.

Every label and alias is reduced to canonical tokens (see ``normalise``), then to
unigram and bigram features. A feature's weight is its rarity among the form's
indicators: on a science and technology form "khoa hoc cong nghe" is everywhere and
tells nothing, while "quoc gia" or "cap tinh" tells one indicator from its siblings.
The score is a recall-weighted F-measure of the indicator's features found in the text,
blended with a character-level ratio (rapidfuzz) for near-identical spellings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .abbreviations import resolve_ambiguous
from .kinds import says_rate as _says_rate
from .model import UNPROPOSED_KINDS, IndicatorSpec
from .normalise import canonical_tokens, features, negative_cues, years

# Below this a text is not taken to name the indicator at all.
MIN_LABEL_SCORE = 0.6
# A figure whose label or context says "plan", "previous year", ... keeps this share of its score.
CUE_PENALTY = 0.5
YEAR_PENALTY = 0.4
BIGRAM_WEIGHT = 0.5
IDF_POWER = 2.0


_GROUPS = {"number": "number", "money": "money", "percent": "percent", "text": "text", "choice": "text"}


_UNIT_IN_PARENS = re.compile(
    r"\(\s*(?:tỷ|tỉ|triệu|nghìn|ngàn|tr\.?|trđ|đồng|đ|vnđ|vnd|người|%|lượt|cuộc|đơn|nhiệm vụ)"
    r"[\s.\w/]{0,12}\)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Variant:
    """One name of an indicator (its label or an alias), ready to score against."""

    text: str
    tokens: tuple[str, ...]
    feats: frozenset[str]
    total: float = 1.0  # the weight of all its features
    own: float = 0.0  # the weight of its features no other indicator of its kind has

    @property
    def joined(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Match:
    spec: IndicatorSpec
    score: float
    variant: str


class LabelIndex:
    """The indicators of one form, ready to score texts against."""

    def __init__(self, indicators: Sequence[IndicatorSpec]) -> None:
        self.specs = [s for s in indicators if s.kind not in UNPROPOSED_KINDS]
        self._variants: dict[str, list[_Variant]] = {}
        df: dict[str, int] = {}
        for spec in self.specs:
            texts = [spec.label_vi, *spec.aliases, *([spec.label_en] if spec.label_en else [])]
            variants = []
            for text in dict.fromkeys(t for t in texts if t.strip()):
                tokens = canonical_tokens(text)
                if tokens:
                    variants.append(_Variant(text, tokens, features(tokens)))
            self._variants[spec.code] = variants
            for f in frozenset().union(*(v.feats for v in variants)) if variants else ():
                df[f] = df.get(f, 0) + 1
        # Features only one indicator of its kind has: a text naming none of them cannot tell
        # which it is ("Tổng số nhiệm vụ KH&CN" is none of "cấp quốc gia", "cấp tỉnh", "cấp cơ sở").
        # Per kind, because the value tells kinds apart: "giải ngân" names the money indicator
        # among money indicators even though a rate indicator says "giải ngân" too.
        group_df: dict[tuple[str, str], int] = {}
        for spec in self.specs:
            for f in frozenset().union(*(v.feats for v in self._variants[spec.code])):
                key = (_GROUPS.get(spec.kind, spec.kind), f)
                group_df[key] = group_df.get(key, 0) + 1
        self._unique: dict[str, frozenset[str]] = {
            spec.code: frozenset(
                f
                for v in self._variants[spec.code]
                for f in v.feats
                if group_df[(_GROUPS.get(spec.kind, spec.kind), f)] == 1
                and df[f] <= max(2, len(self.specs) / 4)
            )
            for spec in self.specs
        }
        self._rate = {spec.code: _says_rate(" ".join([spec.label_vi, *spec.aliases])) for spec in self.specs}
        n = max(len(self.specs), 1)
        # Squared idf: the rare words that tell indicators apart must outweigh the many shared ones.
        # A bigram counts half: it mostly repeats its two words, and sentences reorder them.
        self._weights = {
            f: math.log((n + 1) / (c + 0.5)) ** IDF_POWER * (BIGRAM_WEIGHT if " " in f else 1.0)
            for f, c in df.items()
        }
        # An unknown word in a label costs like a word shared by half the indicators.
        self._unknown = math.log((n + 1) / (n / 2 + 0.5)) ** IDF_POWER if n > 1 else 0.1
        self._vocabulary = frozenset(df)
        for spec in self.specs:
            unique = self._unique[spec.code]
            self._variants[spec.code] = [
                _Variant(
                    v.text,
                    v.tokens,
                    v.feats,
                    sum(self._weights[f] for f in v.feats) or 1.0,
                    sum(self._weights[f] for f in v.feats & unique),
                )
                for v in self._variants[spec.code]
            ]
        self._cache: dict[tuple[str, float, float], list[Match]] = {}

    def weight(self, feature: str, *, unknown: bool = False) -> float:
        w = self._weights.get(feature)
        if w is None:
            return self._unknown if unknown and " " not in feature else 0.0
        return w

    def _score_variant(
        self,
        tokens: tuple[str, ...],
        feats: frozenset[str],
        total_t: float,
        v: _Variant,
        unique: frozenset[str],
        beta: float,
    ) -> float:
        weights = self._weights
        matched = matched_unique = 0.0
        unmatched_tokens: list[str] | None = None
        for f in v.feats:
            w = weights[f]
            credit = 0.0
            if f in feats:
                credit = w
            elif " " in f:
                # Both words, not side by side: sentences reorder ("giải ngân ... đạt 64%").
                a, b = f.split(" ")
                if a in feats and b in feats:
                    credit = 0.5 * w
            elif len(f) >= 5:
                if unmatched_tokens is None:
                    unmatched_tokens = [t for t in tokens if t not in v.feats and len(t) >= 4]
                # A typo in a long syllable ("nghiem" / "ngiem").
                if unmatched_tokens and process.extractOne(
                    f, unmatched_tokens, scorer=fuzz.ratio, score_cutoff=85
                ):
                    credit = 0.7 * w
            matched += credit
            if f in unique:
                matched_unique += credit
        if matched == 0:
            return 0.0
        recall = matched / v.total
        found_t = sum(weights[f] for f in feats & v.feats)
        precision = min(1.0, max(found_t / total_t, 0.05))
        b2 = beta * beta
        f_beta = (1 + b2) * precision * recall / (b2 * precision + recall)
        ratio = fuzz.ratio(" ".join(tokens), v.joined) / 100
        score = 0.85 * f_beta + 0.15 * ratio
        if v.own:
            score *= 0.5 + 0.5 * matched_unique / v.own
        return score

    def score(self, text: str, *, beta: float = 2.0, floor: float = 0.3) -> list[Match]:
        """Indicators the text may name, best first, with scores in 0..1 (cues not applied)."""
        key = (text, beta, floor)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._score(text, beta, floor)
        return cached

    def _score(self, text: str, beta: float, floor: float) -> list[Match]:
        text = _UNIT_IN_PARENS.sub(" ", text)  # "Kinh phí (tỷ đồng)": the unit names no indicator
        tokens = resolve_ambiguous(canonical_tokens(text), self._vocabulary)
        if not tokens:
            return []
        feats = features(tokens)
        if not feats & self._vocabulary:
            return []
        total_t = sum(self.weight(f, unknown=True) for f in feats) or 1.0
        out = []
        rate = _says_rate(text)
        for spec in self.specs:
            best, best_text = 0.0, ""
            unique = self._unique[spec.code]
            for v in self._variants[spec.code]:
                if v.feats.isdisjoint(feats):
                    continue  # not one word in common
                s = self._score_variant(tokens, feats, total_t, v, unique, beta)
                if s > best:
                    best, best_text = s, v.text
            if rate != self._rate[spec.code]:
                best *= CUE_PENALTY  # "Tỷ lệ giải ngân" is not "Kinh phí đã giải ngân", nor the reverse
            if best >= floor:
                out.append(Match(spec, best, best_text))
        out.sort(key=lambda m: -m.score)
        return out

    def penalty(
        self, text: str, spec: IndicatorSpec, doc_year: int | None, *, percent: bool = False
    ) -> float:
        """How much a context's cues (plan, earlier period, change) lower a figure for this indicator."""
        exempt = " ".join([spec.label_vi, *spec.aliases])
        cues = negative_cues(text, exempt=exempt)
        if percent:
            # "đạt 85% kế hoạch" is an achievement rate, the very figure a percent indicator wants.
            cues = [c for c in cues if c not in ("ke hoach", "chi tieu giao", "muc tieu")]
        factor = CUE_PENALTY if cues else 1.0
        if doc_year and any(y < doc_year for y in years(text)):
            factor *= YEAR_PENALTY  # "năm 2023" in a 2024 report: last year's figure
        return factor
