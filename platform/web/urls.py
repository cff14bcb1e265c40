"""URLs of the web interface shared by both hosts (included without a namespace)."""

from django.urls import path

from ostoja.platform.web import views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("start/", views.start, name="start"),
]
