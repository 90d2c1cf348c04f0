"""``field__any_of`` finds, updates and counts exactly the rows ``field__in`` does."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.models import Author


@pytest.fixture
def authors() -> list[Author]:
    return [
        Author.objects.create(platform="facebook", platform_id=f"fb-{n}", handle=f"h{n}")
        for n in range(30)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        lambda a: [x.pk for x in a[::3]],
        lambda a: [a[0].pk, a[0].pk, None, 10**12],  # repeats, None, an id that is not there
        lambda a: [],
    ],
    ids=["some ids", "repeats, None and a missing id", "no ids"],
)
def test_ids(authors: list[Author], values: Callable[[list[Author]], list[int | None]]) -> None:
    wanted = values(authors)
    by_in = sorted(Author.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    by_any = sorted(Author.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert by_any == by_in


@pytest.mark.django_db
def test_texts_with_quotes_braces_and_commas(authors: list[Author]) -> None:
    odd = ["a'b", 'c"d', "{e,f}", "g\\h", "NULL", ""]
    for text in odd:
        Author.objects.create(platform="x", platform_id=text)
    found = Author.objects.filter(platform="x", platform_id__any_of=[*odd, "absent"])
    assert sorted(found.values_list("platform_id", flat=True)) == sorted(odd)


@pytest.mark.django_db
def test_an_update_by_any_of_changes_only_those_rows(authors: list[Author]) -> None:
    chosen = [a.pk for a in authors[:5]]
    assert Author.objects.filter(pk__any_of=chosen).update(strikes=2) == 5
    assert Author.objects.filter(strikes=2).count() == 5


@pytest.mark.django_db
def test_the_values_go_as_one_array_parameter(authors: list[Author]) -> None:
    with CaptureQueriesContext(connection) as queries:
        list(Author.objects.filter(pk__any_of=[a.pk for a in authors]))
    assert "= ANY(" in queries[0]["sql"]
    assert " IN (" not in queries[0]["sql"]


@pytest.mark.django_db
def test_a_subquery_still_works(authors: list[Author]) -> None:
    inner = Author.objects.filter(handle__in=["h1", "h2"]).values("pk")
    assert Author.objects.filter(pk__any_of=inner).count() == 2
