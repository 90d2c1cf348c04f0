"""The emulator's control API over HTTP: seed, faults, state and reset."""

from __future__ import annotations

import requests


def control(emulator, path: str, body=None):
    if body is None:
        return requests.get(f"{emulator.url}/_control/{path}", timeout=5)
    return requests.post(f"{emulator.url}/_control/{path}", json=body, timeout=5)


def test_seeded_comments_are_served_and_listed_in_state(emulator):
    created = control(
        emulator,
        "seed",
        {
            "platform": "facebook",
            "account_id": "999",
            "posts": [{"id": "999_1", "text": "Bins"}],
            "comments": [
                {
                    "post_id": "999_1",
                    "text": "Missed again",
                    "author": {"id": "5550001", "name": "Ana"},
                }
            ],
        },
    ).json()

    feed = requests.get(
        f"{emulator.base_url('facebook')}/v21.0/999_1/comments",
        headers={"Authorization": "Bearer t"},
        timeout=5,
    ).json()

    assert created["posts"] == ["999_1"]
    assert [c["id"] for c in feed["data"]] == created["comments"]
    state = control(emulator, "state?platform=facebook").json()
    assert state["comments"][0]["status"] == "visible"


def test_a_fault_answers_in_the_platforms_own_envelope_then_stops(emulator):
    control(
        emulator, "faults", {"platform": "youtube", "kind": "429", "count": 1, "retry_after": 4}
    )
    url = f"{emulator.base_url('youtube')}/youtube/v3/commentThreads"
    params = {"part": "snippet", "allThreadsRelatedToChannelId": "UC1"}
    headers = {"Authorization": "Bearer t"}

    first = requests.get(url, params=params, headers=headers, timeout=5)
    second = requests.get(url, params=params, headers=headers, timeout=5)

    assert first.status_code == 429
    assert first.headers["Retry-After"] == "4"
    assert first.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    assert second.status_code == 200


def test_reset_forgets_everything(emulator):
    control(
        emulator,
        "seed",
        {"platform": "x", "account_id": "1001", "comments": [{"post_id": "1", "text": "hi"}]},
    )

    control(emulator, "reset", {})

    assert control(emulator, "state").json() == {"actions": [], "comments": [], "blocks": {}}


def test_a_bad_control_request_is_a_400_not_a_crash(emulator):
    response = control(emulator, "seed", {"platform": "myspace", "account_id": "1"})

    assert response.status_code == 400
    assert "unknown platform" in response.json()["error"]


def test_an_unknown_platform_path_is_a_404(emulator):
    response = requests.get(f"{emulator.url}/myspace/v1/feed", timeout=5)

    assert response.status_code == 404


def test_a_list_page_of_100_comments_is_served_quickly_enough_for_the_benchmark(emulator):
    post = emulator.add_post("facebook", "999", text="busy post")
    for number in range(2_000):
        emulator.add_comment("facebook", "999", post, f"comment {number}")
    session = requests.Session()
    url = f"{emulator.base_url('facebook')}/v21.0/{post}/comments"
    params: dict[str, str | int] = {
        "limit": 100,
        "filter": "stream",
        "fields": "id,message,created_time,from",
    }
    served = 0
    after = None
    while True:
        page = session.get(
            url,
            params={**params, **({"after": after} if after else {})},
            headers={"Authorization": "Bearer t"},
            timeout=5,
        ).json()
        served += len(page["data"])
        if "next" not in page.get("paging", {}):
            break
        after = page["paging"]["cursors"]["after"]

    assert served == 2_000
