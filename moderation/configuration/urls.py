"""Admins' pages: channels, templates, routes, organisation, crisis mode, data protection, and the
rule pages that need moderation's data (test box, statistics, backtests)."""

from django.urls import path

from moderation.configuration import (
    views,
    views_connect,
    views_connect_bluesky,
    views_console,
    views_data_protection,
    views_rules,
    views_status,
    views_webhooks,
)

urlpatterns = [
    path("settings/", views.settings_home, name="settings"),
    path("settings/crisis/", views.crisis_switch, name="crisis_switch"),
    path("settings/status/", views_status.status, name="status"),
    path(
        "settings/status/quarantined/<int:item_id>/reveal/",
        views_status.reveal_quarantined,
        name="reveal_quarantined",
    ),
    path("settings/channels/", views.channel_list, name="channels"),
    path("settings/channels/new/", views.channel_new, name="channel_new"),
    path("settings/channels/connect/", views_connect.connect, name="channel_connect"),
    path(
        "settings/channels/connect/callback/",
        views_connect.connect_callback,
        name="connect_callback",
    ),
    path(
        "settings/channels/connect/bluesky/",
        views_connect.connect_bluesky,
        name="connect_bluesky",
    ),
    path(
        "settings/channels/connect/bluesky/sign-in/",
        views_connect_bluesky.connect_bluesky_oauth,
        name="connect_bluesky_oauth",
    ),
    path(
        "settings/channels/connect/bluesky/callback/",
        views_connect_bluesky.connect_bluesky_callback,
        name="connect_bluesky_callback",
    ),
    path(
        "settings/channels/connect/choose/<int:pending_id>/",
        views_connect.connect_choose,
        name="connect_choose",
    ),
    path(
        "settings/channels/connect/<slug:flow>/",
        views_connect.connect_start,
        name="connect_start",
    ),
    path(
        "settings/channels/<int:channel_id>/health/",
        views_connect.channel_health,
        name="channel_health",
    ),
    path(
        "settings/channels/<int:channel_id>/disconnect/",
        views_connect.channel_disconnect,
        name="channel_disconnect",
    ),
    path("settings/channels/<int:channel_id>/", views.channel_edit, name="channel_edit"),
    path(
        "settings/channels/<int:channel_id>/credentials/",
        views.channel_credentials,
        name="channel_credentials",
    ),
    path(
        "settings/channels/<int:channel_id>/webhooks/verify-token/",
        views_webhooks.verify_token,
        name="channel_verify_token",
    ),
    path(
        "settings/channels/<int:channel_id>/webhooks/subscribe/",
        views_webhooks.subscribe,
        name="channel_subscribe_webhooks",
    ),
    path("settings/templates/", views.template_list, name="reply_templates"),
    path("settings/templates/new/", views.template_edit, name="reply_template_new"),
    path("settings/templates/<int:template_id>/", views.template_edit, name="reply_template_edit"),
    path("settings/routes/", views.route_list, name="routes"),
    path("settings/routes/new/", views.route_edit, name="route_new"),
    path("settings/routes/<int:route_id>/", views.route_edit, name="route_edit"),
    path("settings/organisation/", views.organisation, name="organisation"),
    path("settings/tags/", views_console.tag_list, name="tags"),
    path("settings/tags/new/", views_console.tag_edit, name="tag_new"),
    path("settings/tags/<int:tag_id>/", views_console.tag_edit, name="tag_edit"),
    path("settings/reply-approval/", views_console.reply_approval, name="reply_approval"),
    path(
        "settings/data-protection/",
        views_data_protection.data_protection,
        name="data_protection",
    ),
    path(
        "settings/data-protection/retention/",
        views_data_protection.retention_run,
        name="retention_run",
    ),
    path(
        "settings/data-protection/authors/<int:author_id>/",
        views_data_protection.subject,
        name="subject",
    ),
    path(
        "settings/data-protection/authors/<int:author_id>/export/",
        views_data_protection.subject_export,
        name="subject_export",
    ),
    path(
        "settings/data-protection/authors/<int:author_id>/erase/",
        views_data_protection.subject_erase,
        name="subject_erase",
    ),
    path("settings/rules/versions/<int:version_id>/test/", views_rules.rule_test, name="rule_test"),
    path("settings/rules/<int:ruleset_id>/statistics/", views_rules.rule_stats, name="rule_stats"),
    path(
        "settings/rules/versions/<int:version_id>/backtests/",
        views_rules.backtests,
        name="backtests",
    ),
    path("settings/backtests/<int:backtest_id>/", views_rules.backtest_detail, name="backtest"),
]
