"""Staff replying under their own names, the council's departments and services, and local
groups named after the place are not impersonating it; the same names asking for bank details,
demanding payment or sending people to a look-alike site are."""

from __future__ import annotations

import pytest

from rules.engine import Context, RuleSetSpec, RuleSpec, compile_ruleset

SETTINGS = {
    "own_names": ["Kennock Vale Council", "@KennockValeCouncil", "KennockLibraries"],
    "own_domains": ["kennockvale.gov.uk"],
    "staff_names": ["Jane Smith", "Tom Price"],
}
COMPILED = compile_ruleset(
    RuleSetSpec(
        "test",
        1,
        (
            RuleSpec(
                key="impersonation.lookalike_account",
                name="Impersonation",
                category="impersonation",
                severity=3,
                outcome="review",
                kind="detector",
                params={"detector": "impersonation"},
            ),
        ),
        settings=SETTINGS,
    )
)


def found(author: str, text: str) -> list[str]:
    return [m.detector for m in COMPILED.evaluate(text, Context(author_handle=author))]


@pytest.mark.parametrize(
    ("author", "text"),
    [
        ("Jane Smith", "Hi Bob, the committee is looking at Mill Brow for next year."),
        ("Cllr Jane Smith", "Thanks to all the volunteers who made today happen."),
        ("Councillor Tom Price", "I've asked officers for the figures and will publish them."),
        ("Kennock Vale Council Highways", "Thanks Sue, the pothole on Fore Street is booked in."),
        ("Kennock Libraries", "Story time is back on Thursdays at the Kessel branch."),
        ("Kennock Vale Council", "Opening hours are on kennockvale.gov.uk/tips"),
        ("Kennock Vale Council Fostering", "Info evening on the 12th at the Town Hall."),
        ("Kennock Vale Council Watch", "Full council is Tuesday 7pm, agenda item 6 is the pool."),
        ("Jane Smith Fan Club", "Credit to the planning team, the guidance is clear now."),
        ("Drumshaw Community Council", "Our meeting is on Tuesday; officers are attending."),
        ("Kennock Vale Council Highways", "We will never ask for your bank details. Ignore fakes."),
    ],
)
def test_genuine_accounts_and_local_groups_are_not_flagged(author: str, text: str) -> None:
    assert found(author, text) == []


@pytest.mark.parametrize(
    ("author", "text"),
    [
        ("Kennock Vale Council Highways", "Permit expired. Renew here: kennock-permits.co/renew"),
        ("Kennock Vale Council Libraries", "Please DM us your card number and expiry date."),
        ("Jane Smith", "Pay now to avoid bailiffs, it's the last reminder."),
        ("Cllr Tom Price", "Allotment rent goes to my personal account, DM me for details"),
        ("The Kennock Vale Council", "Free replacement fences! Just reply with your address."),
    ],
)
def test_the_same_names_doing_what_impersonators_do_are_flagged(author: str, text: str) -> None:
    assert found(author, text) == ["lookalike_account"]


@pytest.mark.parametrize(
    "author",
    [
        "KennockValeCouncil_Highways",
        "Kennock Vale Council Refunds",
        "Kennock Vale Council Official",
        "Kennock Vale Council \u2705",
        "Kennock Vale Counci1",
        "KennockVale_Council",
    ],
)
def test_look_alike_or_dressed_up_names_are_flagged_whatever_they_say(author: str) -> None:
    assert found(author, "Bin collections are cancelled this week.") == ["lookalike_account"]


def test_a_handle_spelt_like_the_councils_display_name_is_not_the_council() -> None:
    # "Kennock Vale Council" is the council's display name; its handle is @KennockValeCouncil,
    # so "Kennock Vale Council" as a display name is it, and so is the listed handle.
    assert found("KennockValeCouncil", "Hello") == []
    assert found("Kennock Libraries", "Hello") == []
