"""Web pages (namespace "partners"): the regional partner dashboard and its CSV."""

from django.urls import path

from ostoja.tenants import partner_views

app_name = "partners"
urlpatterns = [
    path("", partner_views.dashboard, name="dashboard"),
    path("figures.csv", partner_views.dashboard_csv, name="dashboard_csv"),
]
