"""The shipped model loads without scikit-learn, scores every category in [0, 1], gives the same
score for the same text, and explains a score with spans of the original text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.engine.learned.stage import CATEGORY_POLICY, load_model
from tests.rules.learned_fixtures import tiny_model

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "",
    "Thanks for fixing the streetlight on Elm Road so quickly",
    "You absolute numpty, get a proper job",
    "Please send me the figures for council spending on consultants in 2023",
    "𝐟𝐮𝐜𝐤 this c0uncil 🤬 " * 30,
    "\u202eevil\u202c text with a bidi override and \u200bzero width",
]


@pytest.fixture(scope="module")
def shipped() -> LinearModel:
    model = load_model(str(MODEL_PATH))
    assert model is not None, "the model file ships with the repository"
    return model


def test_the_shipped_model_covers_every_learned_category(shipped: LinearModel) -> None:
    assert set(shipped.categories) == set(CATEGORY_POLICY)
    assert set(shipped.metadata["thresholds"]) == set(shipped.categories)
    assert set(shipped.metadata["out_of_fold_precision"]) == set(shipped.categories)


def test_the_model_file_is_small_and_lists_its_training_data(shipped: LinearModel) -> None:
    assert MODEL_PATH.stat().st_size < 5_000_000
    data = shipped.metadata["training"]["data"]
    assert data and all(len(entry["sha256"]) == 64 for entry in data)


def test_classifying_imports_neither_scikit_learn_nor_django() -> None:
    script = (
        "import sys\n"
        "from rules.engine import compile_ruleset, default_ruleset_spec\n"
        "matches = compile_ruleset(default_ruleset_spec()).evaluate('you useless numpty')\n"
        "assert any(m.detector == 'model' for m in matches), matches\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'django') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


def test_scores_are_probabilities_and_deterministic(shipped: LinearModel) -> None:
    for text in TEXTS:
        first = shipped.scores(extract(Document(text)))
        second = shipped.scores(extract(Document(text)))
        assert ((first >= 0) & (first <= 1)).all()
        assert (first == second).all()


def test_evidence_spans_lie_inside_the_original_text(shipped: LinearModel) -> None:
    for text in TEXTS:
        extracted = extract(Document(text))
        for category in shipped.categories:
            evidence = shipped.evidence(extracted, category)
            for start, end in evidence.spans:
                assert 0 <= start < end <= len(text)
            for (_, first_end), (second_start, _) in zip(
                evidence.spans, evidence.spans[1:], strict=False
            ):
                assert first_end < second_start  # sorted, never overlapping


def test_evidence_names_the_words_that_drove_the_score() -> None:
    model = tiny_model()
    text = "Honestly you are a NUMPTY"
    evidence = model.evidence(extract(Document(text)), "abuse")
    assert evidence.terms[0] == "numpty"
    start, end = evidence.spans[0]
    assert text[start:end] == "NUMPTY"


def test_a_saved_model_loads_back_with_the_same_scores(tmp_path) -> None:
    model = tiny_model()
    model.save(tmp_path / "tiny.npz")
    loaded = LinearModel.load(tmp_path / "tiny.npz")
    extracted = extract(Document("useless numpty, send the spending figures"))
    assert abs(loaded.scores(extracted) - model.scores(extracted)).max() < 1e-3
    assert loaded.metadata["thresholds"] == model.metadata["thresholds"]


def test_hostile_text_gives_bounded_features() -> None:
    # A pasted blob with no spaces, or thousands of words or links, costs no more than a
    # comment of 400 words of 40 characters and 20 links.
    for text in ("a" * 1_000_000, "word " * 100_000, "http://x.example.com/a " * 5_000):
        extracted = extract(Document(text))
        assert len(extracted.tokens) <= 400
        assert all(len(token.text) <= 40 for token in extracted.tokens)
        assert sum(1 for feature in extracted.extra if feature == "x:url") <= 20
