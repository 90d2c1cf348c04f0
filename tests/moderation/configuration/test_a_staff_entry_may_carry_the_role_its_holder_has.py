"""An admin may give a member of staff's role beside the name ("Jo Price — Chief Executive"):
the organisation keeps it with the name, the engine reads the role as naming that person, and
plain names keep working."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.configuration.forms import OrganisationForm
from moderation.models import Organisation
from moderation.send_check import check_for
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_a_line_with_a_role_is_saved_as_a_name_and_a_role(adam) -> None:
    response = signed_in(Client(), adam).post(
        "/settings/organisation/",
        {
            "form": "details",
            "name": "Exampleshire County Council",
            "handles": "@ExampleshireCC",
            "staff_names": "Margaret Okafor — Chief Executive\nDavid Pennington",
            "candidates": "",
        },
    )
    assert response.status_code == 302
    org = Organisation.current()
    assert org.staff_names == [
        {"name": "Margaret Okafor", "role": "Chief Executive"},
        "David Pennington",
    ]
    settings = org.engine_settings()
    assert settings["staff_names"] == ["Margaret Okafor", "David Pennington"]
    assert settings["staff_roles"] == ["chief executive"]


def test_the_form_shows_a_role_beside_its_name() -> None:
    org = Organisation(
        staff_names=[{"name": "Margaret Okafor", "role": "Chief Executive"}, "Di Lu"]
    )
    form = OrganisationForm(instance=org)
    shown = form["staff_names"].value()
    assert form.fields["staff_names"].prepare_value(shown) == (
        "Margaret Okafor — Chief Executive\nDi Lu"
    )


def test_a_draft_naming_a_member_of_staff_with_a_role_is_still_noticed() -> None:
    org = Organisation(staff_names=[{"name": "Margaret Okafor", "role": "Chief Executive"}])
    check = check_for("Margaret Okafor will reply tomorrow.", org)
    assert "names_a_person" in [finding.code for finding in check.findings]


def test_a_role_with_no_name_before_the_dash_is_refused_with_a_clear_error() -> None:
    form = OrganisationForm(
        data={"name": "Exampleshire County Council", "staff_names": "— Head of Planning"}
    )
    assert not form.is_valid()
    assert "name before the dash" in str(form.errors["staff_names"])


def test_a_name_with_a_dash_and_no_role_is_the_name_alone() -> None:
    form = OrganisationForm(
        data={"name": "Exampleshire County Council", "staff_names": "Jo Price —"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["staff_names"] == ["Jo Price"]
