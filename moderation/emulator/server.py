"""The emulator's HTTP server: one port, a path prefix per platform, and a control API.

`http://host:port/<platform>/…` answers as that platform's API (see the module per platform);
`/_control/…` lets tests and the demo shape the world:

- `POST /_control/reset` — forget everything.
- `POST /_control/seed` — `{"platform", "account_id", "posts": [{"id"?, "text", "created_at"?}],
  "comments": [{"post_id", "text", "author"?: {"id", "handle", "name"}, "created_at"?,
  "parent_id"?, "id"?, "overrides"?, "status"?}]}` (or a list of those) → the ids created.
- `POST /_control/faults` — `{"platform" ("*" for all), "kind": 429|500|hang|expired_token|
  rate_limit, "count", "path_contains"?, "method"?, "retry_after"?, "hang_seconds"?}`: the next
  `count` matching calls answer with that fault, in the platform's own error envelope.
- `GET /_control/state[?platform=…]` — actions received (with timestamps), comments and their
  moderation state, blocks.
- `POST /_control/deliver_webhook` — `{"platform", "url", "app_secret", "account_id", "text",
  "post_id"?, "author"?}`: adds a comment and POSTs a correctly signed Meta delivery for it, once
  the callback is verified and the account subscribed (as on Meta).
- `POST /_control/register_webhook` — `{"platform", "url", "verify_token"}`: Meta's verification
  handshake against the callback; `POST /_control/token_lifetime` — `{"platform", "access"?,
  "refresh"?}` in seconds.
- `POST /_control/clock` — `{"advance": seconds}`: moves the clock the tokens issued by the OAuth
  endpoints expire on.

Each platform's OAuth endpoints (consent page, token exchange and renewal, "who am I") are
answered by `authorization.py`, before the platform's own module.

The same operations exist in Python on `Emulator`, and one more:
`Emulator.expire_access_token(token)` makes every later call made with that token answer as the
platform answers an expired one (401), whoever sends it and however many times.

The server is a stdlib `ThreadingHTTPServer` speaking HTTP/1.1 with keep-alive, so one client
connection serves many pages quickly.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Mapping
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from moderation.emulator import (
    authorization,
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    meta_messaging,
    meta_webhooks,
    threads,
    tiktok,
    x,
    youtube,
)
from moderation.emulator.http import Request, Response
from moderation.emulator.store import (
    FAULT_KINDS,
    STATUSES,
    VISIBLE,
    Author,
    Fault,
    Store,
    default_author,
    now_utc,
)
from moderation.emulator.store import Comment as StoredComment

log = logging.getLogger(__name__)

PLATFORM_APIS: Mapping[str, ModuleType] = {
    "facebook": facebook,
    "instagram": instagram,
    "youtube": youtube,
    "x": x,
    "linkedin": linkedin,
    "threads": threads,
    "tiktok": tiktok,
    "mastodon": mastodon,
    "bluesky": bluesky,
}
MAX_BODY_BYTES = 20_000_000


class Emulator:
    """The nine platforms on one local port, in a background thread."""

    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.store = server.store
        host, port = server.server_address[:2]
        self.url = f"http://{host if isinstance(host, str) else host.decode()}:{port}"

    @classmethod
    def start(cls, port: int = 0, host: str = "127.0.0.1") -> Emulator:
        server = _Server((host, port), _Handler)
        thread = threading.Thread(
            target=server.serve_forever, name="platform-emulator", daemon=True
        )
        emulator = cls(server, thread)
        server.emulator = emulator
        thread.start()
        return emulator

    def stop(self) -> None:
        self.store.wake.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def base_url(self, platform: str) -> str:
        if platform not in PLATFORM_APIS:
            raise ValueError(f"unknown platform {platform!r}")
        return f"{self.url}/{platform}"

    # --- shaping the world ---------------------------------------------------------------

    def reset(self) -> None:
        self.store.reset()

    def add_post(
        self,
        platform: str,
        account_id: str,
        post_id: str | None = None,
        text: str = "",
        *,
        created_at: datetime | None = None,
    ) -> str:
        return self.store.add_post(platform, account_id, post_id, text, created_at).id

    def add_comment(
        self,
        platform: str,
        account_id: str,
        post_id: str,
        text: str,
        author: Mapping[str, str] | Author | None = None,
        *,
        created_at: datetime | None = None,
        parent_id: str = "",
        comment_id: str | None = None,
        overrides: Mapping[str, Any] | None = None,
        status: str = VISIBLE,
    ) -> str:
        """Add a comment (the post is created if new) and return its id.

        `overrides` change the comment as the platform renders it (dotted paths; None removes
        a key), to make malformed items: `{"created_time": "not a date"}`. X ids must be
        decimal (they grow with time): another `comment_id` is replaced, so use the id returned.
        """
        return self.store.add_comment(
            platform,
            account_id,
            post_id,
            text,
            _author(platform, author, self.store),
            created_at=created_at,
            parent_id=parent_id,
            comment_id=comment_id,
            overrides=overrides,
            status=status,
        ).id

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock for the tokens it issues (they expire on it)."""
        oauth = authorization.world(self.store)
        with self.store.lock:
            oauth.clock_offset += seconds

    def expire_access_token(self, token: str) -> None:
        """From now on, every call made with ``token`` is refused as expired (401)."""
        self.store.expire(token)

    def set_token_lifetime(
        self, platform: str, *, access: float | None = None, refresh: float | None = None
    ) -> None:
        """How long the tokens the emulator issues from now on live, in seconds (e.g. TikTok's
        86,400 and 31,536,000; Bluesky's session JWTs). Unset: they never expire by age."""
        with self.store.lock:
            for kind, seconds in (("access", access), ("refresh", refresh)):
                if seconds is None:
                    self.store.token_lifetimes.pop((platform, kind), None)
                else:
                    self.store.token_lifetimes[(platform, kind)] = float(seconds)

    def add_quote(
        self,
        platform: str,
        account_id: str,
        post_id: str,
        text: str,
        author: Mapping[str, str] | Author | None = None,
    ) -> str:
        """A quote of the account's post (Bluesky): listed with reason "quote"."""
        if platform != "bluesky":
            raise ValueError("only Bluesky has quotes in the emulator")
        comment = self.store.add_comment(
            platform, account_id, post_id, text, _author(platform, author, self.store)
        )
        with self.store.lock:
            comment.quote = True
        return comment.id

    def set_faults(
        self,
        platform: str,
        kind: str,
        count: int = 1,
        *,
        path_contains: str = "",
        method: str = "",
        retry_after: float = 1.0,
        hang_seconds: float = 5.0,
    ) -> None:
        self.store.add_fault(
            Fault(platform, kind, count, path_contains, method, retry_after, hang_seconds)
        )

    @property
    def actions(self) -> list[dict[str, Any]]:
        with self.store.lock:
            return [dict(action) for action in self.store.actions]

    def comment_status(self, platform: str, comment_id: str) -> str:
        comment = self.store.comment(platform, comment_id)
        return comment.status if comment else ""

    def blocked(self, platform: str, account_id: str) -> set[str]:
        return self.store.blocked(platform, account_id)

    def deliver_webhook(
        self,
        platform: str,
        url: str,
        app_secret: str,
        account_id: str,
        text: str,
        *,
        post_id: str | None = None,
        author: Mapping[str, str] | Author | None = None,
    ) -> tuple[int, str]:
        """Add a comment and POST its signed Meta delivery to `url`: (HTTP status, id).

        As on Meta, nothing is delivered unless the callback passed the verification handshake
        (`register_webhook`) and, on Facebook and Instagram, the account is subscribed to the
        app for the comment field (`POST /{id}/subscribed_apps`, or `subscribe`): ValueError.
        """
        if platform not in meta_webhooks.META_PLATFORMS:
            raise ValueError(f"{platform} has no Meta webhooks")
        self._require_delivery(platform, url, account_id, meta_webhooks.FIELD[platform])
        if post_id is None:
            posts = self.store.posts_of(platform, account_id)
            post_id = posts[-1].id if posts else self.add_post(platform, account_id, text="Post")
        comment_id = self.add_comment(platform, account_id, post_id, text, author)
        comment = self.store.comment(platform, comment_id)
        if comment is None:  # pragma: no cover - just added
            raise RuntimeError("comment vanished")
        return meta_webhooks.deliver(comment, url, app_secret), comment_id

    def register_webhook(self, platform: str, url: str, verify_token: str) -> None:
        """Set the app's callback as in Meta's dashboard: Meta first sends the verification
        request (`hub.mode=subscribe`, `hub.challenge`, `hub.verify_token`) and keeps the
        callback only if the challenge comes back. ValueError when it does not."""
        if platform not in meta_webhooks.META_PLATFORMS:
            raise ValueError(f"{platform} has no Meta webhooks")
        if not meta_webhooks.handshake(url, verify_token):
            raise ValueError(
                f"Meta could not verify the callback {url}: it did not echo the challenge for "
                "that verify token"
            )
        with self.store.lock:
            self.store.webhook_callbacks[(platform, url)] = verify_token

    def subscribe(self, platform: str, account_id: str, fields: set[str]) -> None:
        """What `POST /{id}/subscribed_apps` does, for tests that need no connector."""
        with self.store.lock:
            self.store.webhook_subscriptions[(platform, account_id)] = set(fields)

    def _require_delivery(self, platform: str, url: str, account_id: str, field: str) -> None:
        with self.store.lock:
            verified = (platform, url) in self.store.webhook_callbacks
            fields = self.store.webhook_subscriptions.get((platform, account_id), set())
        if not verified:
            raise ValueError(f"the {platform} callback {url} was never verified (register_webhook)")
        if field and field not in fields:
            raise ValueError(
                f"{platform} account {account_id} is not subscribed to the app for {field!r}"
            )

    def add_message(
        self,
        platform: str,
        account_id: str,
        text: str,
        author: Mapping[str, str] | Author | None = None,
        *,
        created_at: datetime | None = None,
    ) -> str:
        """A private message to the Page or Instagram account; its id (a `mid`)."""
        if platform not in meta_messaging.SUBSCRIBABLE:
            raise ValueError(f"{platform} has no private messages in the emulator")
        who = _author(platform, author, self.store) or default_author(
            platform, self.store.next_seq()
        )
        with self.store.lock:
            seq = next(self.store.seq)
            message = StoredComment(
                platform=platform,
                account_id=account_id,
                id=f"m_{seq:08d}{who.id[-6:]}",
                post_id=f"t_{who.id}",  # one conversation per person
                parent_id="",
                author=who,
                text=text,
                created_at=created_at or now_utc(),
                seq=seq,
            )
            self.store.messages.append(message)
            self.store.account(platform, account_id)
        return message.id

    def deliver_message_webhook(
        self,
        platform: str,
        url: str,
        app_secret: str,
        account_id: str,
        text: str,
        author: Mapping[str, str] | Author | None = None,
    ) -> tuple[int, str]:
        """Add a private message and POST its signed messaging delivery: (HTTP status, mid)."""
        self._require_delivery(platform, url, account_id, "messages")
        message_id = self.add_message(platform, account_id, text, author)
        with self.store.lock:
            message = next(m for m in self.store.messages if m.id == message_id)
        status = meta_webhooks.post(meta_webhooks.message_payload(message), url, app_secret)
        return status, message_id

    def state(self, platform: str = "") -> dict[str, Any]:
        with self.store.lock:
            comments = [
                c.snapshot()
                for c in self.store.comments.values()
                if not platform or c.platform == platform
            ]
            blocks = {
                f"{p}:{account}": sorted(users)
                for (p, account), users in self.store.blocks.items()
                if not platform or p == platform
            }
            actions = [a for a in self.store.actions if not platform or a["platform"] == platform]
            return {"actions": actions, "comments": comments, "blocks": blocks}


def _author(
    platform: str, author: Mapping[str, str] | Author | None, store: Store
) -> Author | None:
    if author is None or isinstance(author, Author):
        return author
    made_up = default_author(platform, store.next_seq())
    return Author(
        str(author.get("id") or made_up.id),
        str(author.get("handle") or made_up.handle),
        str(author.get("name") or made_up.name),
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.store = Store()
        self.emulator: Emulator | None = None
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    server: _Server
    server_version = "smpolicy-emulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("emulator: " + format, *args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        try:
            response = self._respond()
        except Exception:  # an emulator bug must show up as a 500, not a dropped connection
            log.error("emulator error:\n%s", traceback.format_exc())
            response = Response(500, {"error": "emulator error", "trace": traceback.format_exc()})
        self._write(response)

    def _respond(self) -> Response:
        store = self.server.store
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            return Response(413, {"error": "body too large"})
        raw = self.rfile.read(length) if length else b""
        if parts.path.startswith("/_control/"):
            return _control(self.server, self.command, parts.path, parts.query, raw)
        segments = [unquote(s) for s in parts.path.split("/") if s]
        if not segments or segments[0] not in PLATFORM_APIS:
            return Response(404, {"error": f"no platform at {parts.path}"})
        platform = segments[0]
        api = PLATFORM_APIS[platform]
        sub_path = parts.path[len(platform) + 1 :] or "/"
        fault = store.take_fault(platform, self.command, sub_path)
        if fault is not None:
            if fault.kind == "hang":
                store.wake.wait(fault.hang_seconds)  # the client times out meanwhile
                self.close_connection = True
                return Response(504, {"error": "hung"})
            response: Response = api.fault(fault.kind, fault.retry_after)
            return response
        content_type = self.headers.get("Content-Type", "")
        form: dict[str, list[str]] = {}
        body: Any = None
        if raw and "json" in content_type:
            try:
                body = json.loads(raw)
            except ValueError:
                return Response(400, {"error": "malformed JSON body"})
        elif raw:
            form = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
        request = Request(
            method=self.command,
            platform=platform,
            path=sub_path,
            segments=segments[1:],
            query=parse_qs(parts.query, keep_blank_values=True),
            form=form,
            body=body,
            headers={name.lower(): value for name, value in self.headers.items()},
            base=f"http://{self.headers.get('Host') or 'localhost'}/{platform}",
        )
        token = request.bearer() or request.header("Access-Token")
        if token and (store.is_expired(token) or authorization.is_expired(store, token)):
            # A token the test expired, or one past its lifetime on the emulator's clock:
            # refused as the platform refuses an expired one.
            expired: Response = api.fault("expired_token", 0)
            return expired
        connecting = authorization.handle(store, request)  # the OAuth endpoints
        if connecting is not None:
            return connecting
        result: Response = api.handle(store, request)
        return result

    def _write(self, response: Response) -> None:
        if isinstance(response.body, str):  # a page for a person (the OAuth consent page)
            payload = response.body.encode()
        else:
            payload = b"" if response.body is None else json.dumps(response.body).encode()
        try:
            self.send_response(response.status)
            if payload and "Content-Type" not in response.headers:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if payload:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


# --- the control API ---------------------------------------------------------------------


def _control(server: _Server, method: str, path: str, query: str, raw: bytes) -> Response:
    emulator = server.emulator
    if emulator is None:
        return Response(503, {"error": "the emulator is starting"})
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        return Response(400, {"error": "malformed JSON body"})
    try:
        if path == "/_control/reset" and method == "POST":
            emulator.reset()
            return Response(200, {"ok": True})
        if path == "/_control/state" and method == "GET":
            platform = parse_qs(query).get("platform", [""])[0]
            return Response(200, emulator.state(platform))
        if path == "/_control/seed" and method == "POST":
            return Response(200, _seed(emulator, body))
        if path == "/_control/faults" and method == "POST":
            for item in body if isinstance(body, list) else [body]:
                emulator.set_faults(
                    str(item.get("platform", "*")),
                    str(item.get("kind", "")),
                    int(item.get("count", 1)),
                    path_contains=str(item.get("path_contains", "")),
                    method=str(item.get("method", "")),
                    retry_after=float(item.get("retry_after", 1)),
                    hang_seconds=float(item.get("hang_seconds", 5)),
                )
            return Response(200, {"ok": True, "kinds": list(FAULT_KINDS)})
        if path == "/_control/clock" and method == "POST":
            emulator.advance_clock(float(body.get("advance", 0)))
            return Response(200, {"ok": True})
        if path == "/_control/register_webhook" and method == "POST":
            emulator.register_webhook(
                str(body["platform"]), str(body["url"]), str(body["verify_token"])
            )
            return Response(200, {"ok": True})
        if path == "/_control/token_lifetime" and method == "POST":
            emulator.set_token_lifetime(
                str(body["platform"]), access=body.get("access"), refresh=body.get("refresh")
            )
            return Response(200, {"ok": True})
        if path == "/_control/deliver_webhook" and method == "POST":
            status, comment_id = emulator.deliver_webhook(
                str(body["platform"]),
                str(body["url"]),
                str(body["app_secret"]),
                str(body["account_id"]),
                str(body.get("text", "")),
                post_id=body.get("post_id"),
                author=body.get("author"),
            )
            return Response(200, {"status": status, "comment_id": comment_id})
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return Response(400, {"error": f"bad control request: {error}"})
    return Response(404, {"error": f"no control endpoint {method} {path}"})


def _seed(emulator: Emulator, body: Any) -> dict[str, Any]:
    created: dict[str, list[str]] = {"posts": [], "comments": []}
    for batch in body if isinstance(body, list) else [body]:
        platform = str(batch["platform"])
        if platform not in PLATFORM_APIS:
            raise ValueError(f"unknown platform {platform!r}")
        account = str(batch["account_id"])
        for post in batch.get("posts", []):
            created["posts"].append(
                emulator.add_post(
                    platform,
                    account,
                    post.get("id"),
                    str(post.get("text", "")),
                    created_at=_when(post.get("created_at")),
                )
            )
        for comment in batch.get("comments", []):
            status = str(comment.get("status", VISIBLE))
            if status not in STATUSES:
                raise ValueError(f"status must be one of {STATUSES}")
            created["comments"].append(
                emulator.add_comment(
                    platform,
                    account,
                    str(comment["post_id"]),
                    str(comment.get("text", "")),
                    comment.get("author"),
                    created_at=_when(comment.get("created_at")),
                    parent_id=str(comment.get("parent_id", "")),
                    comment_id=comment.get("id"),
                    overrides=comment.get("overrides"),
                    status=status,
                )
            )
    return created


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("created_at needs a time zone")
    return moment
