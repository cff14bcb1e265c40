"""Signed, expiring file links of the local folder (when no S3 bucket is configured), standing in for S3's
presigned GET and PUT: the link itself is the permission (it is issued only after the services' checks), and
it works only on the host of the center whose key it names (platform/storage.py)."""

from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from ostoja.platform import storage
from ostoja.platform.documents.models import Document, DocumentState
from ostoja.platform.documents.services import MAX_SIZE


@csrf_exempt  # a PUT link is authorised by its signature, like an S3 presigned URL
def file_view(request, token):
    if request.method not in ("GET", "HEAD", "PUT"):
        return HttpResponseNotAllowed(["GET", "PUT"])
    method = "PUT" if request.method == "PUT" else "GET"
    try:
        payload = storage.read_local_token(token, method)
    except storage.StorageError:
        return HttpResponse("The link is invalid or has expired.", status=403, content_type="text/plain")
    key = payload["k"]
    if method == "PUT":
        sent_type = (request.content_type or "").lower()
        if sent_type != payload.get("content_type"):
            return HttpResponse("The Content-Type is not the one signed.", status=403, content_type="text/plain")
        # only the staging key of a document still waiting for its upload: a link used again after the
        # confirmation or the deletion writes nothing (S3 cannot refuse it, but there nobody reads that key)
        if not Document.objects.filter(upload_key=key, state=DocumentState.PENDING).exists():
            return HttpResponse("This upload is closed.", status=403, content_type="text/plain")
        data = request.read(MAX_SIZE + 1)  # not request.body: its limit is the one for forms
        if len(data) > MAX_SIZE:
            return HttpResponse("Too large.", status=413, content_type="text/plain")
        if "size" in payload and len(data) != payload["size"]:
            return HttpResponse("The length is not the one signed.", status=403, content_type="text/plain")
        storage.save(key, data, sent_type)
        return HttpResponse(status=200)
    if storage.head(key) is None:
        return HttpResponse(status=404)
    response = FileResponse(storage.default_storage().open(key, "rb"), content_type=payload.get("content_type") or None)
    response["Content-Disposition"] = storage.content_disposition(payload.get("filename") or "document")
    response["Cache-Control"] = "private, no-store"
    return response
