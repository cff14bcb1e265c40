"""Account pages, included at the root of both URL confs (center hosts and the platform host)."""

from django.urls import path

from ostoja.platform.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
