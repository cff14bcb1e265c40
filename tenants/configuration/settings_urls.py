"""Web pages (namespace "center_settings"): the center's settings, districts, hours, departments, addresses,
contacts, teams and staff accounts."""

from django.urls import path

from ostoja.tenants.configuration import settings_views as views

app_name = "center_settings"
urlpatterns = [
    path("", views.index, name="index"),
    path("general/", views.general, name="general"),
    # districts and their streets
    path("districts/", views.districts, name="districts"),
    path("districts/lookup/", views.lookup, name="lookup"),
    path("districts/new/", views.object_create, {"spec": views.DISTRICT}, name="district_create"),
    path("districts/<int:pk>/", views.district, name="district"),
    path("districts/<int:pk>/edit/", views.object_edit, {"spec": views.DISTRICT}, name="district_edit"),
    path("districts/<int:pk>/delete/", views.object_delete, {"spec": views.DISTRICT}, name="district_delete"),
    path("streets/<int:pk>/edit/", views.object_edit, {"spec": views.STREET}, name="street_edit"),
    path("streets/<int:pk>/delete/", views.object_delete, {"spec": views.STREET}, name="street_delete"),
    # hours
    path("hours/", views.hours, name="hours"),
    path("hours/schedules/new/", views.object_create, {"spec": views.SCHEDULE}, name="schedule_create"),
    path("hours/schedules/<int:pk>/", views.schedule, name="schedule"),
    path("hours/schedules/<int:pk>/edit/", views.object_edit, {"spec": views.SCHEDULE}, name="schedule_edit"),
    path("hours/schedules/<int:pk>/delete/", views.object_delete, {"spec": views.SCHEDULE}, name="schedule_delete"),
    path("hours/rules/<int:pk>/edit/", views.object_edit, {"spec": views.RULE}, name="rule_edit"),
    path("hours/rules/<int:pk>/delete/", views.object_delete, {"spec": views.RULE}, name="rule_delete"),
    path("closures/", views.closures, name="closures"),
    path("closures/new/", views.object_create, {"spec": views.CLOSURE}, name="closure_create"),
    path("closures/<int:pk>/edit/", views.object_edit, {"spec": views.CLOSURE}, name="closure_edit"),
    path("closures/<int:pk>/delete/", views.object_delete, {"spec": views.CLOSURE}, name="closure_delete"),
    # departments, addresses, contacts, teams
    path("departments/", views.departments, name="departments"),
    path("departments/new/", views.object_create, {"spec": views.DEPARTMENT}, name="department_create"),
    path("departments/<int:pk>/edit/", views.object_edit, {"spec": views.DEPARTMENT}, name="department_edit"),
    path("departments/<int:pk>/delete/", views.object_delete, {"spec": views.DEPARTMENT}, name="department_delete"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/new/", views.object_create, {"spec": views.ADDRESS}, name="address_create"),
    path("addresses/<int:pk>/edit/", views.object_edit, {"spec": views.ADDRESS}, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.object_delete, {"spec": views.ADDRESS}, name="address_delete"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/new/", views.object_create, {"spec": views.CONTACT}, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.object_edit, {"spec": views.CONTACT}, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.object_delete, {"spec": views.CONTACT}, name="contact_delete"),
    path("teams/", views.teams, name="teams"),
    path("teams/new/", views.object_create, {"spec": views.TEAM}, name="team_create"),
    path("teams/<int:pk>/edit/", views.object_edit, {"spec": views.TEAM}, name="team_edit"),
    path("teams/<int:pk>/delete/", views.object_delete, {"spec": views.TEAM}, name="team_delete"),
    # staff accounts
    path("staff/", views.staff, name="staff"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_member, name="staff_member"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<int:pk>/set-password-link/", views.staff_link, name="staff_link"),
]
