"""TikTok: no official definition covers the organic endpoints (see docs/connectors.md). The one
published artefact is the community library's recorded refresh answer
(`specs/tiktok/third-party-python-tiktok/…/refresh_resp.json`): the emulator's answer has the
same fields, and the connector reads that recorded answer as it is."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from moderation.connectors.tiktok import TikTokConnector
from tests.moderation.connectors.spec_contract import load

RECORDED = "tiktok/third-party-python-tiktok/testsdata/business/access_token/refresh_resp.json"
LOGIN = {
    "access_token": "act.old",
    "refresh_token": "rft.1",
    "client_id": "c",
    "client_secret": "s",
}


def test_the_emulator_answers_a_refresh_with_the_recorded_fields(make_kit, wire):
    kit = make_kit("tiktok")
    kit.comment(kit.post(), "hi")
    kit.emulator.expire_access_token("act.old")

    TikTokConnector(kit.config(LOGIN), kit.client(answered=wire)).fetch_comments(None)

    [answer] = [a for s, a in wire.exchanges if "refresh_token" in s.url]
    recorded = load(RECORDED)
    assert set(answer.json()) == set(recorded)
    assert set(answer.json()["data"]) == set(recorded["data"])
    request = json.loads(next(s.body for s, _ in wire.exchanges if "refresh_token" in s.url))
    assert set(request) == {"client_id", "client_secret", "grant_type", "refresh_token"}


def test_the_recorded_answer_is_read_into_new_credentials(make_kit, monkeypatch):
    kit = make_kit("tiktok")
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    kept = []
    config = replace(kit.config(LOGIN), on_refresh=lambda c: kept.append(dict(c)))
    connector = TikTokConnector(config, kit.http, clock=lambda: now)

    class Recorded:
        status = 200

        def json(self):
            return load(RECORDED)

    monkeypatch.setattr(connector.http, "request", lambda *a, **k: Recorded())
    connector._refresh()

    assert kept[0]["access_token"] == "act.token"
    assert kept[0]["refresh_token"] == "rft.token"
    assert kept[0]["access_token_expires_at"].startswith("2026-12-02T00:00:00")
    # 31,527,314 s, as recorded: a few hours short of a year.
    assert kept[0]["refresh_token_expires_at"].startswith("2027-11-30")
