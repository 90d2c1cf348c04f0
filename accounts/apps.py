from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and audit"

    def ready(self) -> None:
        # The admin runs as SimpleAdminConfig (settings.py) on accounts.admin_site.site; each
        # app's admin.py registers its models there. Other apps' admin modules register on
        # Django's default site, which is not mounted.
        autodiscover_modules("admin")
