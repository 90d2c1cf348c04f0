"""The abuse baselines ``bench.quality`` scores beside the shipped configuration:
better-profanity (``contains_profanity``; a few dozen comments a second, so on a sample) and
alt-profanity-check (``predict``). Neither is part of the product."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence


def _bp_verdict(text: str) -> bool:
    from better_profanity import profanity

    return bool(profanity.contains_profanity(text))


def better_profanity(texts: Sequence[str]) -> list[bool]:
    with multiprocessing.Pool(2) as pool:
        return pool.map(_bp_verdict, texts, chunksize=25)


def alt_profanity_check(texts: Sequence[str]) -> list[bool]:
    from profanity_check import predict as apc_predict

    return [bool(v) for v in apc_predict(list(texts))] if texts else []
