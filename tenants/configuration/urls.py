from django.urls import path

from ostoja.tenants.configuration import views

urlpatterns = [
    path("", views.center_home, name="home"),
]
