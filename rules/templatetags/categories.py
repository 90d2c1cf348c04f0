"""A policy category by its name, as council staff read it ("Personal data", not personal_data)."""

from __future__ import annotations

from django import template

from rules.models import CATEGORY_CHOICES, NO_CATEGORY_LABEL

register = template.Library()
NAMES = {**dict(CATEGORY_CHOICES), "": NO_CATEGORY_LABEL}


@register.filter
def category_name(key: object) -> str:
    return NAMES.get(str(key), str(key))
