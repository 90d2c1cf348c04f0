from django.apps import AppConfig

from smpolicy.database import install as install_database_hooks


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        install_database_hooks()
