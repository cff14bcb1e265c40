"""URLs of the platform host (the bare BASE_DOMAIN): operators and regional partners."""

from django.urls import include, path

from ostoja.platform import views

urlpatterns = [
    path("", views.platform_home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
]
