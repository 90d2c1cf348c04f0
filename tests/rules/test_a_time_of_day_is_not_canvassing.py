"""'Smith 4 PM' is a slogan for a party leader; '4pm' after 'and', 'from', 'until' is a time.

Found on the eighth sealed set, after it was scored: two requests for car-park CCTV "between 2
and 4pm" and a flood warning "from 4pm" were flagged political by the canvassing phrase.
"""

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec


@pytest.fixture(scope="module")
def ruleset():
    return compile_ruleset(default_ruleset_spec())


def political(ruleset, text: str) -> bool:
    return any(match.category == "political" for match in ruleset.evaluate(text))


@pytest.mark.parametrize(
    "text",
    [
        "Can I get the CCTV of my car being hit in the Sable Lane car park between 3 and 4pm?",
        "Sandbags at the depot on Maes y Ffair from 4pm. Floodline 0345 988 1188",
        "The tip is open until 4pm on Sundays now",
        "Bin lorry came at 4 pm, two hours late",
        "Drop-in session runs 2-4pm at the library",
    ],
)
def test_a_time_of_day_is_not_canvassing(ruleset, text):
    assert not political(ruleset, text)


@pytest.mark.parametrize("text", ["Starmer 4 PM!", "Jenkins 4 mayor, the only choice"])
def test_a_name_for_an_office_written_with_4_is_still_canvassing(ruleset, text):
    assert political(ruleset, text)
