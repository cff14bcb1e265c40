"""Web pages (namespace "partners")."""

app_name = "partners"
urlpatterns: list = []
