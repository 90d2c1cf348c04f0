"""Training reads a writer's organisation with its staff's roles, as the console passes them."""

from __future__ import annotations

from rules.training.corpora import engine_settings


def test_engine_settings_keep_names_and_roles() -> None:
    settings = engine_settings(
        {
            "name": "Midshire County Council",
            "handles": ["@MidshireCC"],
            "staff_names": [
                {"name": "Deborah Hensley", "role": "Cllr, Leader of the Council"},
                "Tom Price",
            ],
        }
    )
    assert settings["staff_names"] == ["Deborah Hensley", "Tom Price"]
    assert settings["staff_roles"] == ["leader of the council"]
