"""Web pages (namespace "projects")."""

from django.urls import path

from ostoja.modules.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:project_id>/", views.project, name="project"),
    path("<int:project_id>/edit/", views.edit, name="edit"),
    path("<int:project_id>/achievements/", views.achievements, name="achievements"),
    path("<int:project_id>/participants/<int:participant_id>/", views.participant, name="participant"),
]
