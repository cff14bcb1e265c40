from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "ostoja.modules.projects"
    label = "projects"
