"""Web pages (namespace "projects")."""

app_name = "projects"
urlpatterns: list = []
