"""The emulator's HTTP server: one port, a path prefix per platform, and a control API.

`http://host:port/<platform>/…` answers as that platform's API (routes in the module per
platform, dispatched by `app.py`); `/_control/…` lets tests and the demo shape the world from
another process (`control.py`). Each platform's OAuth endpoints (consent page, token exchange
and renewal, "who am I") are answered by `authorization.py`, before the platform's own routes.

The same operations exist in Python on `Emulator`, and one more:
`Emulator.expire_access_token(token)` makes every later call made with that token answer as the
platform answers an expired one (401), whoever sends it and however many times.

The server is werkzeug's threaded WSGI server, a thread per request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

import moderation.emulator.authorization as authorization
import moderation.emulator.meta_messaging as meta_messaging
import moderation.emulator.meta_webhooks as meta_webhooks
from moderation.emulator.app import PLATFORM_APIS, EmulatorApp
from moderation.emulator.store import (
    VISIBLE,
    Author,
    Fault,
    Store,
    default_author,
    now_utc,
)
from moderation.emulator.store import Comment as StoredComment

log = logging.getLogger(__name__)

__all__ = ["PLATFORM_APIS", "Emulator"]


class Emulator:
    """The nine platforms on one local port, in a background thread."""

    def __init__(self, host: str, port: int) -> None:
        self.store = Store()
        self._server: BaseWSGIServer = make_server(
            host, port, EmulatorApp(self), threaded=True, request_handler=_Handler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="platform-emulator", daemon=True
        )
        bound_host, bound_port = self._server.server_address[:2]
        if isinstance(bound_host, bytes):
            bound_host = bound_host.decode()
        self.url = f"http://{bound_host}:{bound_port}"

    @classmethod
    def start(cls, port: int = 0, host: str = "127.0.0.1") -> Emulator:
        emulator = cls(host, port)
        emulator._thread.start()
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

    def name_account(self, platform: str, account_id: str, handle: str, name: str) -> None:
        """Give an account its handle and display name (Bluesky resolves handles to DIDs)."""
        account = self.store.account(platform, account_id)
        with self.store.lock:
            account.handle, account.name = handle, name

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


class _Handler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:
        log.debug("emulator: " + message, *args)
