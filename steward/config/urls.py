"""URL map: API, operations endpoints, the console and the portal."""

from django.apps import apps
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from steward.config.api import api
from steward.core import health

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("steward.identity.urls")),
    path("portal/", include("steward.portal.urls")),
    path("", include("steward.satisfaction.urls_public")),
    path("console/satisfaction/", include("steward.satisfaction.urls")),
    path("", include("steward.console.urls")),
]

if apps.is_installed("steward.notifications"):
    urlpatterns.append(path("console/notifications/", include("steward.notifications.urls")))
