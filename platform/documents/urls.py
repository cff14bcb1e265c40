from django.urls import path

from ostoja.platform.documents import views_web
from ostoja.platform.documents.views import file_view

urlpatterns = [
    path("files/<str:token>/", file_view, name="storage-file"),
    path("documents/<int:pk>/download/", views_web.download, name="document-download"),
    path("documents/<int:pk>/delete/", views_web.delete, name="document-delete"),
]
