"""The staff dashboard of a center host (namespace "web")."""

from django.urls import path

from ostoja.platform.web import dashboard

app_name = "web"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/reminders/read/", dashboard.mark_reminders_read, name="reminders_read"),
]
