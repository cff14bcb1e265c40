from django.apps import AppConfig


class FosterCareConfig(AppConfig):
    name = "ostoja.modules.foster_care"
    label = "foster_care"
