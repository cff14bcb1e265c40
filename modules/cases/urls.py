"""Web pages of persons and cases (namespace "cases"), at the root of a center's host."""

from django.urls import path

from ostoja.modules.cases import views

app_name = "cases"
urlpatterns = [
    path("persons/", views.persons, name="persons"),
    path("persons/new/", views.person_new, name="person_new"),
    path("persons/<int:pk>/", views.person, name="person"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/apply/", views.person_apply, name="person_apply"),
    path("persons/<int:pk>/documents/new/", views.person_document, name="person_document"),
    path("persons/<int:pk>/household/", views.person_household, name="person_household"),
    path("persons/<int:pk>/district/", views.person_district, name="person_district"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/interview/<int:interview_id>/", views.case_interview, name="case_interview"),
    path("cases/<int:pk>/decision/", views.case_decision, name="case_decision"),
    path("cases/<int:pk>/applications/<int:application_id>/delay/", views.case_delay, name="case_delay"),
    path("cases/<int:pk>/note/", views.case_note, name="case_note"),
    path("cases/<int:pk>/documents/new/", views.case_document, name="case_document"),
    path("cases/<int:pk>/worker/", views.case_worker, name="case_worker"),
    path("cases/<int:pk>/reasons/", views.case_reasons, name="case_reasons"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/payments/<int:payment_id>/", views.case_payment, name="case_payment"),
    path("cases/<int:pk>/audit/", views.case_audit, name="case_audit"),
]
