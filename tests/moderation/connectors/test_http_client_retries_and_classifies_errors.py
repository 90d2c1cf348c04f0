"""The one HTTP wrapper: backoff, Retry-After, typed errors, and care with replies."""

from __future__ import annotations

import random
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from moderation.connectors.errors import PermanentError, TransientError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError, _seconds_from_header


def feed_url(emulator) -> str:
    return f"{emulator.base_url('facebook')}/v21.0/999/published_posts"


def client(slept, **options) -> HttpClient:
    settings = {"max_retries": 3, **options}
    return HttpClient(sleep=slept, rng=random.Random(1), **settings)


def test_a_successful_answer_is_returned_with_its_json(emulator, slept):
    emulator.add_post("facebook", "999", text="hello")

    response = client(slept).request(
        "GET", feed_url(emulator), headers={"Authorization": "Bearer t"}
    )

    assert response.status == 200
    assert response.json()["data"][0]["id"].startswith("999_")
    assert slept == []


def test_backoff_waits_grow_but_never_exceed_the_cap(emulator, slept):
    emulator.set_faults("facebook", "500", count=10)

    with pytest.raises(TransientError):
        client(slept, backoff_base=1, backoff_cap=3, max_retries=6).request(
            "GET", feed_url(emulator), headers={"Authorization": "Bearer t"}
        )

    assert len(slept) == 6
    assert all(0 <= wait <= min(3, 2**attempt) for attempt, wait in enumerate(slept))


def test_a_wait_longer_than_the_cap_is_handed_back_instead_of_slept(emulator, slept):
    emulator.set_faults("facebook", "429", count=1, retry_after=3600)

    with pytest.raises(TransientError) as raised:
        client(slept).request("GET", feed_url(emulator), headers={"Authorization": "Bearer t"})

    assert raised.value.retry_after == 3600
    assert raised.value.status == 429
    assert slept == []


def test_a_4xx_without_a_parser_is_permanent_with_the_body_quoted(emulator, slept):
    with pytest.raises(PermanentError, match="access token") as raised:
        client(slept).request("GET", feed_url(emulator))  # no token

    assert raised.value.status == 400
    assert slept == []


def test_the_parsers_message_and_code_are_carried_by_the_error(emulator, slept):
    def parser(response: HttpResponse) -> PlatformError | None:
        return None if response.ok else PlatformError("Facebook: no token, sorry", code="104")

    with pytest.raises(PermanentError) as raised:
        client(slept).request("GET", feed_url(emulator), error_parser=parser)

    assert str(raised.value) == "Facebook: no token, sorry"
    assert raised.value.code == "104"


def test_a_parser_that_crashes_does_not_hide_the_failure(emulator, slept):
    def parser(response: HttpResponse) -> PlatformError | None:
        raise KeyError("bug")

    with pytest.raises(PermanentError, match="HTTP 400"):
        client(slept).request("GET", feed_url(emulator), error_parser=parser)


def test_a_reply_is_not_resent_after_a_500_and_is_marked_as_maybe_posted(emulator, slept):
    emulator.set_faults("facebook", "500", count=1)

    with pytest.raises(TransientError) as raised:
        client(slept).request("POST", feed_url(emulator), data={"message": "hi"}, idempotent=False)

    assert raised.value.outcome_unknown is True
    assert "may have received it" in str(raised.value)
    assert slept == []


def test_a_reply_is_resent_after_a_429_because_it_was_not_processed(emulator, slept):
    emulator.set_faults("facebook", "429", count=1, retry_after=1)

    response = client(slept).request(
        "GET", feed_url(emulator), headers={"Authorization": "Bearer t"}, idempotent=False
    )

    assert response.status == 200
    assert slept == [1.0]


def test_a_refused_connection_is_retried_then_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []

    with pytest.raises(TransientError, match="could not connect") as raised:
        HttpClient(sleep=waits.append, max_retries=2).request(
            "POST", f"http://127.0.0.1:{port}/x", idempotent=False
        )

    assert len(waits) == 2  # safe to retry a reply: it never left
    assert raised.value.outcome_unknown is False


def test_tokens_in_query_strings_never_reach_the_error_message(emulator, slept):
    emulator.set_faults("facebook", "500", count=10)

    with pytest.raises(TransientError) as raised:
        client(slept, max_retries=0).request("GET", feed_url(emulator) + "?access_token=SECRET123")

    assert "SECRET123" not in str(raised.value)


def test_retry_after_is_read_as_seconds_an_http_date_an_epoch_or_iso():
    now = datetime(2025, 3, 2, 10, 0, tzinfo=UTC).timestamp()
    in_90s = datetime(2025, 3, 2, 10, 1, 30, tzinfo=UTC)

    assert _seconds_from_header("7", now) == 7
    assert _seconds_from_header(format_datetime(in_90s, usegmt=True), now) == 90
    assert _seconds_from_header(str(int(now + 30)), now) == 30
    assert _seconds_from_header("2025-03-02T10:00:45.000Z", now) == 45
    assert _seconds_from_header((in_90s - timedelta(hours=1)).isoformat(), now) == 0
    assert _seconds_from_header("soon", now) is None
    assert _seconds_from_header("nan", now) is None


def test_meta_usage_headers_give_the_highest_percentage():
    response = HttpResponse(
        200,
        {
            "X-App-Usage": '{"call_count": 28, "total_cputime": 25, "total_time": 25}',
            "X-Business-Use-Case-Usage": '{"999": [{"type": "pages", "call_count": 93,'
            ' "total_cputime": 10, "total_time": 12, "estimated_time_to_regain_access": 0}]}',
        },
        b"{}",
    )

    assert response.meta_usage_percent() == 93


def test_invalid_json_in_a_success_is_a_transient_error():
    with pytest.raises(TransientError, match="not JSON") as caught:
        HttpResponse(200, {}, b"<html>proxy error</html>").json()
    assert not caught.value.outcome_unknown


def test_an_unreadable_success_to_a_reply_is_marked_as_maybe_posted():
    # The 2xx says the reply was posted; retrying it would post it twice.
    answer = HttpResponse(200, {}, b"<html>proxy error</html>", idempotent=False)
    with pytest.raises(TransientError, match="may have received it") as caught:
        answer.json()
    assert caught.value.outcome_unknown


def test_a_link_header_is_read_by_rel():
    response = HttpResponse(
        200,
        {
            "Link": '<https://m.example/api/v1/notifications?max_id=7>; rel="next", '
            '<https://m.example/api/v1/notifications?min_id=9>; rel="prev"'
        },
        b"[]",
    )

    assert response.links() == {
        "next": "https://m.example/api/v1/notifications?max_id=7",
        "prev": "https://m.example/api/v1/notifications?min_id=9",
    }
