"""Ids in each platform's own style (Graph numbers, snowflakes, YouTube's base64, TIDs, URNs),
so connectors meet the shapes they will meet on the platforms."""

from __future__ import annotations

from datetime import datetime

_X_EPOCH_MS = 1_288_834_974_657
_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def base32(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(_B32[digit])
    return "".join(reversed(chars))


def snowflake(created: datetime, seq: int, *, shift: int) -> str:
    milliseconds = int(created.timestamp() * 1000)
    base = milliseconds - _X_EPOCH_MS if shift == 22 else milliseconds
    return str((max(base, 0) << shift) | (seq & ((1 << shift) - 1)))


def youtube_id(prefix: str, seq: int, width: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    number = seq * 2_654_435_761
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 64)
        chars.append(alphabet[digit])
    return prefix + "".join(chars)


def _tid(created: datetime, seq: int) -> str:
    # Bluesky record keys are sortable base32 timestamps (TIDs).
    return base32((int(created.timestamp() * 1_000_000) << 10) | (seq & 1023), 13)


def post_id(platform: str, account_id: str, number: int, seq: int, created: datetime) -> str:
    if platform == "facebook":
        return f"{account_id}_{number}"
    if platform == "youtube":
        return youtube_id("v", seq, 10)
    if platform == "x":
        return snowflake(created, seq, shift=22)
    if platform == "linkedin":
        return f"urn:li:share:{7_100_000_000_000_000_000 + number}"
    if platform == "mastodon":
        return snowflake(created, seq, shift=16)
    if platform == "bluesky":
        return f"at://{account_id}/app.bsky.feed.post/{_tid(created, seq)}"
    if platform == "tiktok":
        return str(7_340_000_000_000_000_000 + number)
    return str(17_900_000_000_000_000 + number)  # instagram, threads


def comment_id(
    platform: str,
    post_number: int,
    post_id: str,
    parent_id: str,
    author_id: str,
    seq: int,
    created: datetime,
) -> str:
    if platform == "facebook":
        return f"{post_number}_{seq}"
    if platform == "youtube":
        base = youtube_id("Ugx", seq, 20)
        return f"{parent_id}.{base[3:]}" if parent_id else base
    if platform in ("x", "mastodon"):
        return snowflake(created, seq, shift=22 if platform == "x" else 16)
    if platform == "linkedin":
        activity = post_id.rsplit(":", 1)[-1]
        return f"urn:li:comment:(urn:li:activity:{activity},{7_200_000_000_000_000_000 + seq})"
    if platform == "bluesky":
        return f"at://{author_id}/app.bsky.feed.post/{_tid(created, seq)}"
    if platform == "tiktok":
        return str(7_350_000_000_000_000_000 + seq)
    return str(17_870_000_000_000_000 + seq)  # instagram, threads
