from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ostoja.modules.cases"
    label = "cases"
