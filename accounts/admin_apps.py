"""Django's admin, with ``admin.site`` being the curator site that asks for a second factor."""

from django.contrib.admin.apps import AdminConfig


class CuratorAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.CuratorAdminSite"
