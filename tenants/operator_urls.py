"""The operator console on the platform host (namespace "operators"), included at /operator/."""

from django.urls import path

from ostoja.tenants import operator_views as views

app_name = "operators"
urlpatterns = [
    path("", views.centers, name="centers"),
    path("centers/new/", views.onboard, name="onboard"),
    path("centers/<int:pk>/", views.center, name="center"),
    path("centers/<int:pk>/deactivate/", views.center_deactivate, name="center_deactivate"),
    path("centers/<int:pk>/reactivate/", views.center_reactivate, name="center_reactivate"),
    path("centers/<int:pk>/delete/", views.center_delete, name="center_delete"),
    path("centers/<int:pk>/domains/", views.domain_add, name="domain_add"),
    path("domains/<int:pk>/primary/", views.domain_primary, name="domain_primary"),
    path("domains/<int:pk>/remove/", views.domain_remove, name="domain_remove"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("partners/", views.partners, name="partners"),
    path("partnerships/new/", views.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", views.partnership_edit, name="partnership"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/deactivate/", views.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/reactivate/", views.account_reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/password-link/", views.account_password_link, name="account_password_link"),
]
