"""Create the default rule set (the social-media policy as rules) as a live version 1.

The rules come from ``rules.engine.default_ruleset_spec`` (pure data), so the migration and the
engine's own tests describe the same policy. A second, scheduled set holds the stricter
pre-election political rules; it has no period until an admin sets one.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone


def create_default_rulesets(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from rules.engine import default_ruleset_spec, pre_election_ruleset_spec

    RuleSet = apps.get_model("rules", "RuleSet")
    RuleSetVersion = apps.get_model("rules", "RuleSetVersion")
    Rule = apps.get_model("rules", "Rule")
    for spec, is_default, description in (
        (
            default_ruleset_spec(),
            True,
            "The social-media policy: what we will not tolerate, and what we must route.",
        ),
        (
            pre_election_ruleset_spec(),
            False,
            "Stricter party-political rules for the pre-election period. Set its dates to use it.",
        ),
    ):
        if RuleSet.objects.filter(name=spec.name).exists():
            continue
        ruleset = RuleSet.objects.create(
            name=spec.name, description=description, is_default=is_default
        )
        version = RuleSetVersion.objects.create(
            ruleset=ruleset,
            number=1,
            state="live",
            published_at=timezone.now(),
            note="The rules as shipped with the console",
            settings=dict(spec.settings),
        )
        Rule.objects.bulk_create(
            Rule(
                version=version,
                key=r.key,
                name=r.name,
                category=r.category,
                severity=r.severity,
                outcome=r.outcome,
                route=r.route,
                kind=r.kind,
                params=dict(r.params),
                enabled=r.enabled,
                explanation=r.explanation,
                position=i,
            )
            for i, r in enumerate(spec.rules)
        )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(create_default_rulesets, migrations.RunPython.noop)]
