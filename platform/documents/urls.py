from django.urls import path

from ostoja.platform.documents.views import file_view

urlpatterns = [path("files/<str:token>/", file_view, name="storage-file")]
