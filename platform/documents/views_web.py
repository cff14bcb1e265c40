"""Web pages of documents, for any record that has documents (persons, cases, …): the upload page (a plain
multipart form, the bytes checked and stored by ``services.attach_bytes``), a download that issues an expiring
link through the service (audited) and redirects to it, and deletion (POST, confirmed). Who may do what is the
owner record's rule, checked by the service."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ostoja.platform.documents import services
from ostoja.platform.documents.forms_web import SERVICE_FIELDS, UploadForm, attach
from ostoja.platform.web.access import staff_page
from ostoja.platform.web.forms import submit


def safe_next(request, fallback: str) -> str:
    """The ``next`` address of the request if it is a path of this host, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def upload_page(request, owner_field: str, owner_id, *, owner_label: str, back_url: str, breadcrumbs=()):
    """GET: the form; POST: store the file on the record and go back to it (or show the errors next to the
    fields). The caller's page checked the role; the service checks the record (district scope) again."""
    services.access_owner(request.user, owner_field, owner_id, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, document = submit(form, lambda: attach(request.user, owner_field, owner_id, form), SERVICE_FIELDS)
        if ok:
            messages.success(request, _("Document “%(name)s” uploaded.") % {"name": document})
            return redirect(back_url)
    context = {"form": form, "owner_label": owner_label, "back_url": back_url, "breadcrumbs": breadcrumbs}
    return render(request, "documents/upload.html", context)


@require_GET
@staff_page()
def download(request, pk):
    """Issue an expiring link (the service checks the record and audits the read) and send the browser there."""
    link = services.download_link(request.user, pk)
    response = redirect(link.url)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_page()
def delete(request, pk):
    back = safe_next(request, "/")
    with transaction.atomic():
        name = str(services.access_document(request.user, pk, write=True))
        services.delete_document(request.user, pk)
    messages.success(request, _("Document “%(name)s” deleted.") % {"name": name})
    return redirect(back)
