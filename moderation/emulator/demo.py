"""A small, realistic council world for the demo: every platform, a few posts, mixed comments.

The account ids are what the demo's channels should use (`DEMO_ACCOUNTS`). Some comments are
meant to trip the policy rules (abuse, personal data, an FOI request, spam, a complaint).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from moderation.emulator.server import Emulator

DEMO_ACCOUNTS = {
    "facebook": "104857600000001",
    "instagram": "17841400000000001",
    "youtube": "UCexamplecouncil000000001",
    "x": "1001",
    "linkedin": "urn:li:organization:2414183",
    "threads": "25000000000000001",
    "tiktok": "bus-7300000000000000001",
    "mastodon": "109000000000000001",
    "bluesky": "did:plc:examplecouncil00000000001",
}

DEMO_POSTS = (
    "Garden waste collections restart on Monday 3 March. Check your day on our website.",
    "Roadworks on the High Street from 10 March for two weeks. Diversions will be signed.",
)

DEMO_COMMENTS = (
    "Great news, thanks for the reminder!",
    "My bin wasn't collected on Thursday, who do I contact?",
    "You lot are useless idiots, sort the potholes out",
    "Ring me on 07700 900123 about the missed collection, I'm at 12 Acacia Avenue, AB1 2CD",
    "Under the Freedom of Information Act please send me the cost of the roadworks contract.",
    "I want to make a formal complaint about how my request was handled.",
    "Cheap loans!!! Click http://bit.ly/free-money-now",
    "Vote for the Independent candidate on 1 May, the only ones who care about this town",
    "Will the library be open during the works?",
)


def seed_demo(emulator: Emulator, now: datetime | None = None) -> dict[str, list[str]]:
    """Posts and comments on every platform; returns the comment ids per platform."""
    moment = now or datetime.now(UTC)
    created: dict[str, list[str]] = {}
    for platform, account in DEMO_ACCOUNTS.items():
        created[platform] = []
        for number, text in enumerate(DEMO_POSTS):
            post_id = emulator.add_post(
                platform, account, text=text, created_at=moment - timedelta(days=2 - number)
            )
            for offset, comment in enumerate(DEMO_COMMENTS[number::2]):
                created[platform].append(
                    emulator.add_comment(
                        platform,
                        account,
                        post_id,
                        comment,
                        created_at=moment - timedelta(hours=30 - 10 * number - offset),
                    )
                )
    return created
