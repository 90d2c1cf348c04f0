"""Contract: the requests the connect flows send (token endpoints, "who signed in", app
registration) are checked against the platforms' own definitions where one describes them, and
the scopes asked for against the scopes the definitions name. What no definition covers (the
authorisation pages, Google's and Meta's code exchange, LinkedIn, TikTok's `tt_user` endpoints)
is listed in docs/connectors.md as unverified."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from moderation.connectors.accounts import Lookup, bluesky_account, discover
from moderation.connectors.authorization import (
    Place,
    authorization_request,
    exchange_code,
    refresh,
    register_mastodon_app,
)
from moderation.connectors.http import HttpClient, SentRequest
from moderation.connectors.oauth_apps import OAUTH_APPS
from moderation.emulator import Emulator
from tests.moderation.connectors.spec_contract import load, schema_errors, split
from tests.moderation.connectors.spec_discovery import Discovery
from tests.moderation.connectors.spec_lexicons import Lexicons
from tests.moderation.connectors.spec_meta import GraphNodes, Postman, postman_match
from tests.moderation.connectors.spec_openapi import OpenApi
from tests.moderation.connectors.test_each_platform_connects_by_oauth_against_the_emulator import (
    ACCOUNTS,
    CLIENT,
    REDIRECT,
    _approve,
)

X = OpenApi("x/openapi.json")
MASTODON = OpenApi("mastodon/openapi/schema.json", brackets=True)
YOUTUBE = Discovery("youtube/youtube.v3.discovery.json")
THREADS = Postman("threads/threads-api.postman_collection.json")
GRAPH = GraphNodes(
    "facebook/graph-api-specs/User.json",
    "facebook/graph-api-specs/Page.json",
    "instagram/graph-api-specs/IGAccessTokenForIGOnlyAPI.json",
    "instagram/graph-api-specs/IGRefreshAccessTokenForIGOnlyAPI.json",
    "instagram/graph-api-specs/IGUserForIGOnlyAPI.json",
)
BLUESKY = Lexicons("bluesky/lexicons")


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[SentRequest, Any]]]:
    """Every request any requests session sends (Authlib's and HttpClient's), with its answer."""
    seen: list[tuple[SentRequest, Any]] = []
    send = requests.Session.send

    def recording(self: requests.Session, prepared: requests.PreparedRequest, **kw: Any) -> Any:
        response = send(self, prepared, **kw)
        body = None
        with contextlib.suppress(ValueError):
            body = response.json()
        seen.append((SentRequest.of(prepared), body))
        return response

    monkeypatch.setattr(requests.Session, "send", recording)
    yield seen


def _connect(emulator: Emulator, flow: str) -> None:
    emulator.reset()
    for platform, account in ACCOUNTS.values():
        emulator.store.account(platform, account)
    app = OAUTH_APPS[flow]
    place = Place(emulator=emulator.url, instance="https://mastodon.example")
    client = CLIENT
    if flow == "mastodon":
        client = register_mastodon_app(
            place.instance, REDIRECT, place, client_name="smpolicy", public_only=False
        )
    started = authorization_request(app, client, REDIRECT, place)
    grant = exchange_code(
        app,
        client,
        REDIRECT,
        _approve(started.url)["code"],
        place,
        code_verifier=started.code_verifier,
    )
    with HttpClient() as http:
        discover(Lookup(app, client, grant, place, http))
    if app.refresh == "meta":
        refresh(app, client, {"access_token": grant.access_token}, place)


def _ours(wire: list[tuple[SentRequest, Any]], emulator: Emulator, platform: str) -> list[Any]:
    """The calls made to one emulated platform (the browser's consent page left out)."""
    prefix = emulator.base_url(platform)
    return [
        (sent, body)
        for sent, body in wire
        if sent.url.startswith(prefix + "/")
        and "/authorize" not in sent.url
        and "dialog/oauth" not in sent.url
        and "/auth?" not in sent.url
    ]


def test_x_asks_for_scopes_the_definition_names_at_its_token_url(emulator, wire) -> None:
    scheme = X.doc["components"]["securitySchemes"]["OAuth2UserToken"]["flows"]
    flow = scheme["authorizationCode"]
    app = OAUTH_APPS["x"]
    assert app.token_url == flow["tokenUrl"]
    assert set(app.scopes) <= set(flow["scopes"])

    _connect(emulator, "x")

    prefix = emulator.base_url("x")
    calls = _ours(wire, emulator, "x")
    assert [urlsplit(s.url).path.removeprefix(urlsplit(prefix).path) for s, _ in calls] == [
        "/2/oauth2/token",
        "/2/users/me",
    ]
    me, body = calls[1]
    assert X.check_request(me, prefix) == []
    assert X.check_response("GET", "/2/users/me", 200, body) == []


def test_youtube_lists_the_signed_in_channel_as_the_discovery_document_says(emulator, wire) -> None:
    assert set(OAUTH_APPS["youtube"].scopes) <= set(YOUTUBE.doc["auth"]["oauth2"]["scopes"])

    _connect(emulator, "youtube")

    prefix = emulator.base_url("youtube")
    channels = [(s, b) for s, b in _ours(wire, emulator, "youtube") if "/channels" in s.url]
    assert len(channels) == 1
    assert YOUTUBE.check_request(channels[0][0], prefix) == []
    method = YOUTUBE.method("GET", "/youtube/v3/channels")
    assert method is not None and method["id"] == "youtube.channels.list"
    assert YOUTUBE.check_response("youtube.channels.list", channels[0][1]) == []


def test_mastodon_registration_token_and_credentials_match_the_openapi_definition(
    emulator, wire
) -> None:
    _connect(emulator, "mastodon")

    prefix = emulator.base_url("mastodon")
    calls = _ours(wire, emulator, "mastodon")
    paths = [split(s, prefix)[0] for s, _ in calls]
    assert paths == ["/api/v1/apps", "/oauth/token", "/api/v1/accounts/verify_credentials"]
    for sent, _ in calls:
        path = split(sent, prefix)[0]
        assert MASTODON.operation(sent.method, path) is not None, path
        problems = MASTODON.check_request(sent, prefix)
        if path == "/api/v1/apps":
            # Mastodon's own documentation (methods/apps.md): `redirect_uris` is "String or
            # Array of Strings"; the community OpenAPI takes only the array form, which
            # instances before 4.3 do not accept. One address is sent as a string.
            problems = [p for p in problems if not p.startswith("/api/v1/apps body redirect_uris")]
        assert problems == [], path
    # verify_credentials answers a CredentialAccount (the path would also match accounts/{id}).
    answer = MASTODON.doc["paths"]["/api/v1/accounts/verify_credentials"]["get"]["responses"]
    schema = answer["200"]["content"]["application/json"]["schema"]
    assert schema_errors(calls[2][1], schema, MASTODON.doc) == []
    scopes = load("mastodon/openapi/schema.json")["components"]["securitySchemes"]
    named = set().union(
        *(set(f.get("scopes", {})) for s in scopes.values() for f in s.get("flows", {}).values())
    )
    assert set(OAUTH_APPS["mastodon"].scopes) <= named


def test_threads_token_endpoints_are_requests_metas_collection_publishes(emulator, wire) -> None:
    _connect(emulator, "threads")

    prefix = urlsplit(emulator.base_url("threads")).path
    checked = 0
    for sent, _ in _ours(wire, emulator, "threads"):
        path, query, body = split(sent, emulator.base_url("threads"))
        segments = [s for s in path.split("/") if s]
        if segments[0] == "v1.0":
            segments = segments[1:]  # versioned Graph calls: the collection leaves it out
        keys = set(query) | set(body or {})
        matching = [
            expected
            for method, template, expected in THREADS.requests
            if method == sent.method and postman_match(template, segments)
        ]
        assert matching, f"{sent.method} {path}: not in Meta's Threads collection ({prefix})"
        # The token endpoints' secrets and the token itself are sent as Meta's examples do.
        allowed = set().union(*matching) | {"access_token", "fields", "redirect_uri", "code"}
        assert keys <= allowed, f"{path}: {sorted(keys - allowed)}"
        checked += 1
    assert checked == 4  # code exchange, long-lived exchange, me, refresh


def test_meta_pages_and_instagram_login_tokens_match_metas_graph_definitions(
    emulator, wire
) -> None:
    _connect(emulator, "facebook")
    pages = [
        s
        for s, _ in _ours(wire, emulator, "facebook")
        if s.url.split("?")[0].endswith("/me/accounts")
    ]
    assert len(pages) == 1
    problems = GRAPH.check_request(pages[0], emulator.base_url("facebook"), "User", "accounts")
    # `tasks` (what the person may do on each Page) is documented for the `accounts` edge in the
    # Graph API reference (User → accounts) but is not a field of Meta's codegen Page node.
    assert problems == ["GET User/accounts: field 'tasks' is not a field of Page"]

    wire.clear()
    _connect(emulator, "instagram_login")
    prefix = emulator.base_url("instagram")
    by_path = {split(s, prefix)[0]: s for s, _ in _ours(wire, emulator, "instagram")}
    assert GRAPH.check_request(by_path["/access_token"], prefix, "IGAccessTokenForIGOnlyAPI") == []
    assert (
        GRAPH.check_request(
            by_path["/refresh_access_token"], prefix, "IGRefreshAccessTokenForIGOnlyAPI"
        )
        == []
    )
    me = next(s for p, s in by_path.items() if p.endswith("/me"))
    fields = split(me, prefix)[1]["fields"][0]
    assert GRAPH.check_fields(fields, "IGUserForIGOnlyAPI", "GET /me") == []


def test_bluesky_sign_in_matches_the_create_session_lexicon(emulator, wire) -> None:
    with HttpClient() as http:
        account = bluesky_account(
            http, emulator.base_url("bluesky"), "council.bsky.social", "app-password"
        )

    assert account.account_id.startswith("did:")
    sent, body = wire[-1]
    assert BLUESKY.check_request(sent, emulator.base_url("bluesky")) == []
    assert BLUESKY.check_output("com.atproto.server.createSession", body) == []
