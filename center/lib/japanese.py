"""Japanese text compared the way people type it: full-width and half-width alike, upper and
lower case alike, hiragana and katakana alike (「こどもしょくどう」 finds 「コドモショクドウ」)."""

import unicodedata

# ぁ (U+3041) … ゖ (U+3096) sit exactly 0x60 below their katakana. A translate table, not a
# loop over characters: searches fold every candidate text.
_KANA_FOLD = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def fold_kana(text: str) -> str:
    return text.translate(_KANA_FOLD)


def normalize(text: str) -> str:
    """The form both queries and texts are compared in: NFKC, casefold, katakana."""
    return fold_kana(unicodedata.normalize("NFKC", text).casefold())
