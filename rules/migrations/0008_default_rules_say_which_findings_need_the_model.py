"""The default rules' settling options, written into every stored version of them.

Which findings count only with the learned model's agreement (``needs_model``) and which do not
count when the comment reports or quotes them (``skip_reported``) used to follow from the rule's
key; they are now options in a rule's ``params`` (``rules.engine.compiler.RULE_OPTIONS``). Every
stored rule with one of those keys and its detector gets the option its key implied, so every
version judges exactly as before (drafts copied from them carry it on). Reversed, the options
are taken out again (the older engine refuses parameters it does not know).
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# (rule key, its detector): the option the key implied.
IMPLIED = {
    ("political.party_promotion", "political"): "needs_model",
    ("hate.protected_characteristics", "hate"): "needs_model",
    ("abuse.profanity", "profanity"): "skip_reported",
    ("abuse.insults", "insults"): "skip_reported",
}


def _rules(apps: Apps):
    Rule = apps.get_model("rules", "Rule")
    keys = {key for key, _ in IMPLIED}
    for rule in Rule.objects.filter(kind="detector", key__in=keys):
        params = rule.params if isinstance(rule.params, dict) else {}
        option = IMPLIED.get((rule.key, params.get("detector")))
        if option:
            yield rule, params, option


def add_options(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for rule, params, option in _rules(apps):
        if option not in params:
            rule.params = {**params, option: True}
            rule.save(update_fields=["params"])


def remove_options(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for rule, params, option in _rules(apps):
        if option in params:
            rule.params = {k: v for k, v in params.items() if k != option}
            rule.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0007_rule_severity_is_bounded_by_validators")]

    operations = [migrations.RunPython(add_options, remove_options)]
