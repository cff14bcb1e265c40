"""Web pages (namespace "center_settings")."""

app_name = "center_settings"
urlpatterns: list = []
