"""Web pages (namespace "foster_care")."""

app_name = "foster_care"
urlpatterns: list = []
