"""Web pages (namespace "operators")."""

app_name = "operators"
urlpatterns: list = []
