"""Web pages (namespace "exports")."""

from django.urls import path

from ostoja.platform.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.list_fragment, name="list"),
    path("new/<str:kind>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status_fragment, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]
