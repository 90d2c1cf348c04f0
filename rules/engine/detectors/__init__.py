"""The built-in detectors, by the name a ``detector`` rule gives in its params."""

from __future__ import annotations

from rules.engine.detectors import (
    hate,
    impersonation,
    insults,
    links,
    pii,
    political,
    profanity,
    spam,
    staff,
    statutory,
    threat,
)
from rules.engine.detectors.base import DetectorType

REGISTRY: dict[str, DetectorType] = {
    detector.name: detector
    for detector in (
        profanity.DETECTOR,
        insults.DETECTOR,
        threat.DETECTOR,
        hate.DETECTOR,
        pii.DETECTOR,
        spam.DETECTOR,
        links.DETECTOR,
        political.DETECTOR,
        staff.DETECTOR,
        statutory.DETECTOR,
        impersonation.DETECTOR,
    )
}
