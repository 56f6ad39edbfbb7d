from django.contrib.admin.apps import AdminConfig


class CatalogueAdminConfig(AdminConfig):
    """Django's admin, with the catalogue's own site (editorial.sites.CatalogueAdminSite) as admin.site."""

    default_site = "editorial.sites.CatalogueAdminSite"
