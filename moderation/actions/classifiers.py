"""Outside classifiers' scores on the record (how they are asked: ``moderation.classifiers``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.classifiers.base import ClassifierAnswer
from moderation.models import OutsideScore


@transaction.atomic
def do_record_outside_score(
    comment_id: int,
    classifier: str,
    digest: str,
    answer: ClassifierAnswer,
    *,
    cached: bool,
    actor: Actor,
) -> OutsideScore | None:
    """Keep one classifier's answer for a comment; None if another worker kept one first."""
    try:
        with transaction.atomic():
            score = OutsideScore.objects.create(
                comment_id=comment_id,
                classifier=classifier,
                text_hash=digest,
                scores=answer.scores,
                raw_scores=answer.raw,
                cached=cached,
                created_at=timezone.now(),
            )
    except IntegrityError:  # another worker scored it first
        return None
    top = max(answer.scores.items(), key=lambda item: item[1], default=("", 0.0))
    record(
        "moderation.outside_score.recorded",
        actor=actor,
        target=score,
        target_repr=f"{classifier} on comment {comment_id}",
        data={"comment_id": comment_id, "cached": cached, "top": list(top)},
    )
    return score
