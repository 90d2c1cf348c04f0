"""Rule sets, their versions and rules in the Django admin: read-only. Rules change only on the
console's rules pages, through ``rules.actions``, with a draft, a test box and a publish step."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin, shown_name, site
from rules.models import Rule, RuleSet, RuleSetVersion


@admin.register(RuleSet, site=site)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = (shown_name("name"), "is_default", "active_from", "active_until", "created_at")
    list_filter = ("is_default",)
    search_fields = ("name", "description")


@admin.register(RuleSetVersion, site=site)
class RuleSetVersionAdmin(ReadOnlyAdmin):
    list_display = ("ruleset", "number", "state", "created_by", "published_by", "published_at")
    list_select_related = ("ruleset", "created_by", "published_by")
    list_filter = ("state", "ruleset")
    search_fields = ("ruleset__name", "note")


@admin.register(Rule, site=site)
class RuleAdmin(ReadOnlyAdmin):
    list_display = (
        "key",
        shown_name("name"),
        "version",
        "category",
        "severity",
        "outcome",
        "kind",
        "enabled",
    )
    list_select_related = ("version__ruleset",)
    list_filter = ("category", "outcome", "kind", "enabled")
    search_fields = ("key", "name", "explanation")
