"""Web pages (namespace "foster_care"), included at /foster-care/ on center hosts."""

from django.urls import path

from ostoja.modules.foster_care import views

app_name = "foster_care"
urlpatterns = [
    path("", views.index, name="index"),
    path("families/new/", views.family_new, name="family_new"),
    path("families/<int:pk>/", views.family, name="family"),
    path("families/<int:pk>/coordinator/", views.family_coordinator, name="family_coordinator"),
    path("families/<int:pk>/status/", views.family_status, name="family_status"),
    path("families/<int:pk>/members/", views.family_member, name="family_member"),
    path("children/", views.children, name="children"),
    path("children/<int:pk>/", views.child, name="child"),
    path("children/<int:pk>/meetings/", views.child_meeting, name="child_meeting"),
    path("assessments/<int:pk>/record/", views.assessment_record, name="assessment_record"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("reports/<int:report_pk>/notifications/<int:pk>/sent/", views.notification_sent, name="notification_sent"),
]
