"""A rule-set version's page is read by council admins: each rule's category by its name
("Personal data", not personal_data), and the version's detector settings as words and
numbers, never a Python dictionary."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rules.models import RuleSetVersion
from tests.factories import FlagFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def version_page(adam, **settings) -> str:
    version = RuleSetVersion.objects.get(ruleset__is_default=True, number=1)
    if settings:
        version.settings = {**version.settings, **settings}
        version.save(update_fields=["settings"])
    return signed_in(Client(), adam).get(f"/rules/versions/{version.pk}/").content.decode()


def test_each_rules_category_is_shown_by_its_name(adam) -> None:
    page = version_page(adam)
    categories = re.findall(r'<span class="badge cat">([^<]*)</span>', page)
    assert "Personal data" in categories
    assert "Someone at risk (self-harm or emergency)" in categories
    assert not [c for c in categories if "_" in c], categories


def test_the_detector_settings_are_words_and_numbers(adam) -> None:
    page = version_page(
        adam,
        blocked_domains=["bad.example", "worse.example"],
        model={"enabled": True, "disabled": ["spam"], "thresholds": {"hate": 0.7, "abuse": 0.86}},
    )
    settings = page.split("Detector settings of this version", 1)[1]
    assert "{" not in settings and "'" not in settings.split("</dl>")[0]
    assert "<dt>Learned classifiers</dt>" in settings
    assert "On. Flag at a score of at least: Abuse 0.86 · Hate and discrimination 0.70" in settings
    assert "Not used for: Spam" in settings
    assert "<dt>Blocked domains</dt>" in settings
    assert "bad.example, worse.example" in settings


def test_learned_classifiers_switched_off_say_so(adam) -> None:
    page = version_page(adam, model={"enabled": False})
    assert "<dt>Learned classifiers</dt><dd>Off.</dd>" in page.replace("\n", "")


def test_the_test_box_and_the_statistics_name_each_category(adam) -> None:
    version = RuleSetVersion.objects.get(ruleset__is_default=True, number=1)
    rule = version.rules.get(key="personal_data.private_information")
    FlagFactory(rule=rule, rule_key=rule.key, rule_name=rule.name, category="personal_data")
    client = signed_in(Client(), adam)
    tested = client.post(
        f"/rules/versions/{version.pk}/test/", {"text": "I know where you live, 07700 900123"}
    ).content.decode()
    statistics = client.get(f"/rules/{version.ruleset_id}/statistics/").content.decode()
    for page in (tested, statistics):
        categories = re.findall(r'<span class="badge cat">([^<]*)</span>', page)
        assert "Personal data" in categories
        assert not [c for c in categories if "_" in c], categories
