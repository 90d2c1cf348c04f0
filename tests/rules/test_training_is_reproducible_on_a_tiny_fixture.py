"""The training script gives the same model file, byte for byte, from the same inputs, and the
model it writes tells the fixture's positives from its negatives."""

from __future__ import annotations

import hashlib
import itertools

from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.model import LinearModel
from rules.training.items import Item
from rules.training.train import train

RUDE = ["numpty", "idiot", "muppet", "clown", "moron", "pillock"]
ASKS = ["figures", "spending", "contracts", "minutes", "emails", "reports"]
TOPICS = ["bins", "the bypass", "parking", "the library", "potholes", "the leisure centre"]


def fixture() -> list[Item]:
    items = []
    pairs = list(itertools.product(range(len(RUDE)), range(len(TOPICS))))
    for n, (i, j) in enumerate(pairs):
        topic = TOPICS[j]
        texts = [
            (f"the councillor in charge of {topic} is a total {RUDE[i]}", {"abuse"}),
            (f"please send me the {ASKS[i]} about {topic}", {"foi_request"}),
            (f"thanks for sorting {topic} so quickly", set()),
        ]
        for k, (text, positives) in enumerate(texts):
            labels = {c: c in positives for c in ("abuse", "foi_request")}
            items.append(Item("council_fixture", f"{n}-{k}", text, labels))
    return items


def build(path, jobs: int = 1) -> LinearModel:
    trained = train(
        fixture(),
        lambda item: set(),
        categories=("abuse", "foi_request"),
        plan={},
        min_df=1,
        c_grid=(1.0, 4.0),
        jobs=jobs,
    )
    trained.model.save(path)
    return LinearModel.load(path)


def test_the_same_inputs_give_the_same_file(tmp_path) -> None:
    build(tmp_path / "first.npz")
    build(tmp_path / "second.npz")
    digests = {
        hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        for name in ("first.npz", "second.npz")
    }
    assert len(digests) == 1


def test_fitting_categories_in_parallel_gives_the_same_file(tmp_path) -> None:
    build(tmp_path / "serial.npz")
    build(tmp_path / "parallel.npz", jobs=2)
    assert (tmp_path / "serial.npz").read_bytes() == (tmp_path / "parallel.npz").read_bytes()


def test_the_model_learns_the_fixture(tmp_path) -> None:
    model = build(tmp_path / "model.npz")
    k = model.index["abuse"]
    rude = model.scores(extract(Document("the officer for the bins is a complete numpty")))[k]
    kind = model.scores(extract(Document("thanks for sorting the parking so quickly")))[k]
    assert rude > 0.5 > kind
    assert set(model.metadata["thresholds"]) == {"abuse", "foi_request"}
    assert model.metadata["training"]["seed"] == 0
