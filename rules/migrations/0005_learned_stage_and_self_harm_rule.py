"""Rule sets made before the learned stage get it and the new default rules, in a new version.

A published version never changes, so each rule set whose live version lacks the learned
stage's settings (``settings["model"]``) or the rules in ``NEW_RULES`` gets a new live
version: the old one's rules, plus the rules the product now ships that it lacks, with the stage
switched on at the thresholds chosen on the validation split. The old version is archived. A
draft gets the same additions in place. Rule sets created by 0002 on a new database already
have both and are left alone.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Max
from django.utils import timezone

NOTE = (
    "Learned classifiers switched on; the self-harm rule, the review-only campaign rule "
    "(copies by several people) and the allegations (possible defamation) rule added by the "
    "product"
)
NEW_RULES = ("self_harm.at_risk", "spam.campaign", "staff_criticism.allegations")


def _additions(spec, version, Rule):  # type: ignore[no-untyped-def]
    have = set(Rule.objects.filter(version=version).values_list("key", flat=True))
    return [r for r in spec.rules if r.key in NEW_RULES and r.key not in have]


def _copy_rule(Rule, version, rule, position):  # type: ignore[no-untyped-def]
    return Rule(
        version=version,
        key=rule.key,
        name=rule.name,
        category=rule.category,
        severity=rule.severity,
        outcome=rule.outcome,
        route=rule.route,
        kind=rule.kind,
        params=dict(rule.params),
        enabled=rule.enabled,
        explanation=rule.explanation,
        position=position,
    )


def add_learned_stage(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from rules.engine import default_ruleset_spec
    from rules.engine.defaults import default_model_settings

    RuleSetVersion = apps.get_model("rules", "RuleSetVersion")
    Rule = apps.get_model("rules", "Rule")
    spec = default_ruleset_spec()
    model = default_model_settings()
    for version in RuleSetVersion.objects.filter(state__in=["live", "draft"]):
        additions = _additions(spec, version, Rule)
        if "model" in version.settings and not additions:
            continue
        settings = {**version.settings}
        settings.setdefault("model", model)
        rules = list(Rule.objects.filter(version=version).order_by("position", "key"))
        last = max((r.position for r in rules), default=-1)
        if version.state == "draft":
            version.settings = settings
            version.save(update_fields=["settings"])
            Rule.objects.bulk_create(
                _copy_rule(Rule, version, r, last + 1 + i) for i, r in enumerate(additions)
            )
            continue
        number = RuleSetVersion.objects.filter(ruleset_id=version.ruleset_id).aggregate(
            Max("number")
        )["number__max"]
        version.state = "archived"
        version.save(update_fields=["state"])
        successor = RuleSetVersion.objects.create(
            ruleset_id=version.ruleset_id,
            number=number + 1,
            state="live",
            settings=settings,
            note=NOTE,
            published_at=timezone.now(),
        )
        Rule.objects.bulk_create(
            [
                *(
                    Rule(
                        version=successor,
                        key=r.key,
                        name=r.name,
                        category=r.category,
                        severity=r.severity,
                        outcome=r.outcome,
                        route=r.route,
                        kind=r.kind,
                        params=r.params,
                        enabled=r.enabled,
                        explanation=r.explanation,
                        position=r.position,
                    )
                    for r in rules
                ),
                *(_copy_rule(Rule, successor, r, last + 1 + i) for i, r in enumerate(additions)),
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_category_self_harm")]
    operations = [migrations.RunPython(add_learned_stage, migrations.RunPython.noop)]
