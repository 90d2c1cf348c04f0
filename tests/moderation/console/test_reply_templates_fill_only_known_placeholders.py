"""Reply templates: only the fixed ``{name}`` placeholders are filled, the data filling them is
never interpreted, contacts come from the organisation, and crisis mode puts listening first."""

from __future__ import annotations

from moderation.models import Author, Channel, Comment, Organisation, ReplyTemplate
from moderation.replies import (
    clean_name,
    contacts_of,
    fill_placeholders,
    reply_values,
    templates_for,
    unfilled,
)

EXAMPLESHIRE = Organisation(
    name="Exampleshire County Council",
    own_contacts={
        "phones": ["0300 123 4567"],
        "emails": [
            "customer.services@exampleshire.gov.uk",
            "foi@exampleshire.gov.uk",
            "complaints@exampleshire.gov.uk",
        ],
    },
)


def comment_by(name: str, *, categories: list[str] | None = None, crisis: bool = False) -> Comment:
    channel = Channel(platform="facebook", name="Exampleshire on Facebook", crisis_mode=crisis)
    author = Author(platform="facebook", platform_id="1", display_name=name, handle="h")
    return Comment(channel=channel, author=author, text="hi", categories=categories or [])


def test_known_placeholders_are_filled_and_unknown_ones_left_as_written() -> None:
    body = "Thanks {author}. See {foi_contact}. {unknown} {0} {author!r} {{author}}"
    filled = fill_placeholders(body, {"author": "Sam", "foi_contact": "foi@example.gov.uk"})
    assert filled == "Thanks Sam. See foi@example.gov.uk. {unknown} {0} {author!r} {Sam}"


def test_a_placeholder_with_no_value_stays_visible_and_blocks_sending() -> None:
    assert fill_placeholders("Write to {dp_contact}", {"dp_contact": ""}) == "Write to {dp_contact}"
    assert unfilled("Write to {dp_contact} or {whoever}") == ["{dp_contact}"]


def test_an_author_name_that_looks_like_a_format_string_is_inserted_literally() -> None:
    values = reply_values(comment_by("{0.__class__} {contact}"), EXAMPLESHIRE)
    filled = fill_placeholders("Hello {author}, call {contact}", values)
    assert filled == "Hello {0.__class__} {contact}, call customer.services@exampleshire.gov.uk"


def test_control_characters_are_dropped_from_an_author_name_and_long_names_cut() -> None:
    assert clean_name("Sam\u202e\u200b\x00 Smith\n") == "Sam Smith"
    assert clean_name("👩‍👩‍👧 family") == "👩‍👩‍👧 family"
    assert len(clean_name("x" * 500)) == 80


def test_contacts_are_picked_from_the_published_addresses() -> None:
    contacts = contacts_of(EXAMPLESHIRE)
    assert contacts["foi_contact"] == "foi@exampleshire.gov.uk"
    assert contacts["complaints_contact"] == "complaints@exampleshire.gov.uk"
    assert contacts["contact"] == "customer.services@exampleshire.gov.uk"
    # No data protection address is published, so the general contact stands in.
    assert contacts["dp_contact"] == "customer.services@exampleshire.gov.uk"


def test_an_explicit_contact_wins_and_malformed_contacts_do_not_raise() -> None:
    org = Organisation(name="X", own_contacts={"data_protection": "dpo@x.gov.uk", "emails": 7})
    assert contacts_of(org)["dp_contact"] == "dpo@x.gov.uk"
    assert contacts_of(Organisation(name="Y", own_contacts=["not", "a", "dict"])) == {
        "contact": "",
        "foi_contact": "",
        "dp_contact": "",
        "complaints_contact": "",
    }


def templates() -> list[ReplyTemplate]:
    return [
        ReplyTemplate(key="listening", name="Listening", position=0, offered_first_in_crisis=True),
        ReplyTemplate(key="policy", name="Policy notice", position=1, for_categories=["abuse"]),
        ReplyTemplate(key="foi", name="FOI signpost", position=2, for_categories=["foi_request"]),
        ReplyTemplate(key="old", name="Retired", position=3, active=False),
    ]


def test_templates_for_the_comments_category_come_first_and_inactive_ones_are_left_out() -> None:
    ordered = templates_for(
        comment_by("Sam", categories=["foi_request"]), EXAMPLESHIRE, templates()
    )
    assert [t.key for t in ordered] == ["foi", "listening", "policy"]


def test_in_crisis_mode_the_listening_response_is_offered_first() -> None:
    comment = comment_by("Sam", categories=["foi_request"], crisis=True)
    assert templates_for(comment, EXAMPLESHIRE, templates())[0].key == "listening"
