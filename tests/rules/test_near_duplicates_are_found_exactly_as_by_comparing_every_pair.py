"""``most_similar`` skips texts that cannot reach the threshold (by size, then by prefix): the
answer must be exactly what comparing every pair gives, whenever it reaches the threshold."""

from __future__ import annotations

import random

import pytest

from rules.engine.repetition import fingerprint, most_similar, similarity

WORDS = (  # noqa: SIM905 - a sentence reads better than a list of forty words
    "the bins on mill lane were not collected again this week please sort it out council "
    "park road closed library hours petition save our museum high street potholes everywhere "
    "thank you lovely fireworks display last night when will the bridge reopen nobody answers"
).split()


def _texts(rng: random.Random, count: int) -> list[str]:
    texts: list[str] = []
    for _ in range(count):
        if texts and rng.random() < 0.4:  # a copy of an earlier text, with a few words changed
            words = rng.choice(texts[-40:]).split()
            for _ in range(rng.randint(0, 3)):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            if rng.random() < 0.3:
                words.append(rng.choice(WORDS))
        else:
            words = [rng.choice(WORDS) for _ in range(rng.randint(1, 30))]
        texts.append(" ".join(words))
    return texts


def _every_pair(text: str, others: list[str]) -> tuple[float, int]:
    mine, best, count = fingerprint(text), 0.0, 0
    for other in others:
        score = similarity(mine, fingerprint(other))
        if score > best + 1e-9:
            best, count = score, 1
        elif score > 0 and abs(score - best) <= 1e-9:
            count += 1
    return best, count


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.9, 1.0])
def test_every_best_match_at_or_above_the_threshold_is_found_with_its_count(
    threshold: float,
) -> None:
    rng = random.Random(threshold)
    texts = _texts(rng, 700)
    reached = 0
    for index in range(40, len(texts)):
        others = texts[index - 40 : index]
        expected = _every_pair(texts[index], others)
        found = most_similar(texts[index], others, threshold)
        if expected[0] >= threshold:
            reached += 1
            assert found == expected, texts[index]
        else:
            assert found[0] < threshold
    assert reached > 40  # the texts do include near-copies at this threshold


def test_a_disguised_copy_still_scores_one() -> None:
    assert most_similar("Visit MY page!!", ["nothing alike here", "visit my page 👉"], 0.7) == (
        1.0,
        1,
    )
