from django.contrib import admin, messages

from ostoja.platform.admin_sites import center_admin_site
from ostoja.platform.errors import ServiceError
from ostoja.platform.notifications import models, services


@admin.register(models.NotificationSettings, site=center_admin_site)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "days_ahead", "send_email"]

    def has_add_permission(self, request):
        return not models.NotificationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.update_settings(
                request.user, days_ahead=form.cleaned_data["days_ahead"], send_email=form.cleaned_data["send_email"]
            )
        except ServiceError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
