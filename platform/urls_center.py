"""URLs of a center host (<slug>.<BASE_DOMAIN>)."""

from django.urls import include, path

from ostoja.platform import views

urlpatterns = [
    path("", views.center_home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
]
