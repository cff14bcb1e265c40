"""Page decorators: who may open a page, checked before the view runs, and what a refused or missing object
looks like. Views call the same ``access_*`` services as GraphQL; a ServiceError they raise (NotFound,
PermissionDenied) becomes a 404 or 403 page with the service's message, never a trace."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from ostoja.platform.accounts.services import is_operator, platform_role
from ostoja.platform.errors import NotFound, PermissionDenied
from ostoja.platform.staff.access import require_role, staff_profile


def refused(request, error: PermissionDenied, status: int = 403):
    return render(request, "web/refused.html", {"message": error.message, "status": status}, status=status)


def _guarded(request, view, args, kwargs):
    try:
        return view(request, *args, **kwargs)
    except NotFound as exc:
        return refused(request, exc, status=404)
    except PermissionDenied as exc:
        return refused(request, exc)


def staff_page(*roles: str, write: bool = False):
    """A page of a center host for its staff. With ``roles``, one of them is required (``write=False``
    lets the read-only auditor in as well). ``request.staff`` is the caller's StaffProfile."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "center", None) is None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                user = request.user
                request.staff = require_role(user, *roles, write=write) if roles else staff_profile(user)
            except PermissionDenied as exc:
                return refused(request, exc)
            return _guarded(request, view, args, kwargs)

        wrapper.staff_roles = roles
        return wrapper

    return decorator


def platform_page(*roles: str):
    """A page of the platform host for accounts with one of ``roles`` (``"operator"``, ``"partner"``)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "center", None) is not None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            user = request.user
            allowed = ("operator" in roles and is_operator(user)) or platform_role(user) in roles
            if not user.is_active or not allowed:
                return refused(request, PermissionDenied(code="permission_denied"))
            return _guarded(request, view, args, kwargs)

        return wrapper

    return decorator
