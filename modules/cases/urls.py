"""Web pages (namespace "cases")."""

app_name = "cases"
urlpatterns: list = []
