"""Read access shared by the staff schema's types: who may see the center's own set-up (any staff member)."""

from ostoja.platform.staff.access import staff_profile


def require_staff(info):
    """The caller's staff profile; PermissionDenied for anonymous users and non-staff accounts."""
    return staff_profile(info.context.user)
