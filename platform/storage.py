"""Files of a center, tenant-aware (DESIGN.md §2, §3).

Every key lives under ``centers/<schema>/``, where ``<schema>`` is the schema of the current connection — never a
value a user typed. The default storage is the local folder ``var/media`` unless ``AWS_STORAGE_BUCKET_NAME`` is
set; then it is django-storages' S3Storage (private objects, server-side encryption: platform/settings.py).

Links: on S3, presigned GET links that expire (with the original file name in Content-Disposition) and presigned PUT
or POST uploads straight to the bucket, so large files never pass through the web process. On the local folder the
same functions hand out signed, expiring links to ``platform/documents/views.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

ROOT = "centers"
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
LOCAL_LINK_SALT = "ostoja.storage.local-link"


class StorageError(Exception):
    """A key outside the current center, or a storage that cannot do what was asked."""


def default_storage():
    """The configured default storage (looked up on every call, so settings overrides apply)."""
    return storages["default"]


def is_s3(storage=None) -> bool:
    storage = storage or default_storage()
    return hasattr(storage, "bucket") and hasattr(storage, "connection")


def link_lifetime() -> int:
    return int(getattr(settings, "AWS_QUERYSTRING_EXPIRE", 300))


# --- keys ------------------------------------------------------------------------------------------


def center_prefix() -> str:
    """``centers/<schema>/`` of the current connection; a StorageError on the public schema (it has no files)."""
    schema = connection.schema_name
    if not schema or schema == getattr(settings, "PUBLIC_SCHEMA_NAME", "public") or not _SAFE_PART.match(schema):
        raise StorageError("Files belong to a center: switch to a center's schema first.")
    return f"{ROOT}/{schema}/"


def center_key(*parts: str) -> str:
    """A key under the current center's prefix. Each part must be a plain name (letters, digits, ``._-``; no
    slashes, no ``..``): callers pass uuids and fixed words, never user input."""
    for part in parts:
        if not _SAFE_PART.match(part) or ".." in part:
            raise StorageError(f"Unsafe key part: {part!r}")
    return center_prefix() + "/".join(parts)


def new_key(folder: str, extension: str = "") -> str:
    """A fresh random key ``centers/<schema>/<folder>/<uuid><extension>``."""
    extension = extension if not extension or extension.startswith(".") else f".{extension}"
    return center_key(folder, f"{uuid.uuid4().hex}{extension}")


def check_own(key: str) -> str:
    """``key`` if it lies under the current center's prefix, else StorageError (a key stored in another schema, or
    a crafted one)."""
    if not key.startswith(center_prefix()) or ".." in key or "//" in key:
        raise StorageError("This key does not belong to the current center.")
    return key


def safe_filename(name: str, default: str = "document") -> str:
    """A file name fit for a Content-Disposition header or a download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return name[:200] or default


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name (Polish letters survive)."""
    name = safe_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "document"
    ascii_name = ascii_name.replace('"', "").replace(";", "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- objects ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    content_type: str
    encryption: str = ""


def save(key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
    """Store bytes under ``key`` (inside the current center), overwriting; on S3 with the content type and SSE."""
    check_own(key)
    storage = default_storage()
    content = ContentFile(data, name=key.rsplit("/", 1)[-1])
    content.content_type = content_type  # S3Storage takes the object's Content-Type from here
    if not is_s3(storage) and storage.exists(key):
        storage.delete(key)
    saved = storage.save(key, content)
    if saved != key:  # a storage that renames on collision: our keys are unique, so this is a bug
        storage.delete(saved)
        raise StorageError(f"The storage renamed {key!r} to {saved!r}.")
    if not is_s3(storage):  # the local folder keeps no content type of its own
        _meta_path(key).write_text(json.dumps({"content_type": content_type}))
    return key


def head(key: str) -> ObjectInfo | None:
    """Size, content type and encryption of an object, or None when there is none."""
    check_own(key)
    storage = default_storage()
    if is_s3(storage):
        client = storage.connection.meta.client
        try:
            answer = client.head_object(Bucket=storage.bucket_name, Key=key)
        except client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return ObjectInfo(
            size=int(answer["ContentLength"]),
            content_type=(answer.get("ContentType") or "").split(";")[0].strip().lower(),
            encryption=answer.get("ServerSideEncryption", ""),
        )
    if not storage.exists(key):
        return None
    meta = _local_meta(key)
    return ObjectInfo(size=storage.size(key), content_type=meta.get("content_type", ""))


def read_start(key: str, length: int = 16) -> bytes:
    """The first ``length`` bytes of an object (a ranged GET on S3), e.g. to check a file's signature."""
    check_own(key)
    storage = default_storage()
    if is_s3(storage):
        answer = storage.connection.meta.client.get_object(
            Bucket=storage.bucket_name, Key=key, Range=f"bytes=0-{length - 1}"
        )
        return answer["Body"].read(length)
    with storage.open(key, "rb") as handle:
        return handle.read(length)


def read(key: str) -> bytes:
    check_own(key)
    with default_storage().open(key, "rb") as handle:
        return handle.read()


def delete(key: str) -> None:
    """Remove an object (no error when it is gone already)."""
    check_own(key)
    storage = default_storage()
    storage.delete(key)
    if not is_s3(storage):
        _meta_path(key).unlink(missing_ok=True)


def promote(source: str, target: str) -> bool:
    """Move an uploaded object from its staging key to its final key, inside the storage: on S3 a server-side copy
    (the content type kept, SSE applied) and the staging object deleted; on the local folder a rename. False when
    there is nothing under ``source`` (any more)."""
    check_own(source)
    check_own(target)
    storage = default_storage()
    if is_s3(storage):
        client = storage.connection.meta.client
        params = {
            "Bucket": storage.bucket_name,
            "Key": target,
            "CopySource": {"Bucket": storage.bucket_name, "Key": source},
            "MetadataDirective": "COPY",
        }
        sse = _sse(storage)
        if sse:
            params["ServerSideEncryption"] = sse
        try:
            client.copy_object(**params)
        except client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        client.delete_object(Bucket=storage.bucket_name, Key=source)
        return True
    source_path, target_path = Path(storage.path(source)), Path(storage.path(target))
    target_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source_path, target_path)
    except FileNotFoundError:
        return False
    meta = _meta_path(source)
    if meta.exists():
        os.replace(meta, _meta_path(target))
    else:
        _meta_path(target).unlink(missing_ok=True)
    return True


def keys_older_than(folder: str, cutoff: datetime) -> list[str]:
    """Keys under ``centers/<schema>/<folder>/`` of the current center last written before ``cutoff``."""
    prefix = center_key(folder) + "/"
    storage = default_storage()
    if is_s3(storage):
        return [o.key for o in storage.bucket.objects.filter(Prefix=prefix) if o.last_modified < cutoff]
    root = Path(storage.path(prefix))
    if not root.exists():
        return []
    limit = cutoff.timestamp()
    return [
        prefix + path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.name.endswith(".meta") and path.stat().st_mtime < limit
    ]


def delete_center_files(schema: str | None = None) -> int:
    """Remove every object under ``centers/<schema>/`` (the current center's by default): a center that is
    offboarded leaves no files behind. The number of objects removed."""
    prefix = center_prefix() if schema is None else f"{ROOT}/{schema}/"
    if not _SAFE_PART.match(prefix.split("/")[1]):
        raise StorageError("Unsafe schema name.")
    storage = default_storage()
    if is_s3(storage):
        removed = 0
        bucket = storage.bucket
        for page in _chunks(bucket.objects.filter(Prefix=prefix), 1000):
            bucket.delete_objects(Delete={"Objects": [{"Key": o.key} for o in page], "Quiet": True})
            removed += len(page)
        return removed
    folder = Path(storage.path(prefix))
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".meta")] if folder.exists() else []
    removed = len(files)
    shutil.rmtree(folder, ignore_errors=True)
    return removed


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- links -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    url: str
    expires_at: datetime
    method: str = "GET"
    headers: dict = field(default_factory=dict)  # headers an upload must send exactly so
    fields: dict = field(default_factory=dict)  # form fields of a POST upload


def _expiry(seconds: int | None) -> tuple[int, datetime]:
    seconds = link_lifetime() if seconds is None else int(seconds)
    return seconds, timezone.now() + timedelta(seconds=seconds)


def download_link(key: str, filename: str, content_type: str = "", *, seconds: int | None = None) -> Link:
    """A GET link that expires; the browser saves the file under ``filename``."""
    check_own(key)
    seconds, expires_at = _expiry(seconds)
    storage = default_storage()
    if is_s3(storage):
        parameters = {"ResponseContentDisposition": content_disposition(filename)}
        if content_type:
            parameters["ResponseContentType"] = content_type
        return Link(storage.url(key, parameters=parameters, expire=seconds), expires_at)
    token = _local_token("GET", key, seconds, filename=safe_filename(filename), content_type=content_type)
    return Link(reverse("storage-file", args=[token]), expires_at)


def upload_link(key: str, content_type: str, *, size: int | None = None, seconds: int | None = None) -> Link:
    """A presigned PUT: the client sends the bytes with exactly ``headers`` (the real Content-Type: DESIGN.md §6).
    With ``size`` the length is signed too: S3 (and the local view) refuse a body of another length.

    A PUT link can be used again and again until it expires, and S3 cannot make it single-use: give it only for a
    staging key that nothing downloads from (services move the checked object to its final key)."""
    check_own(key)
    seconds, expires_at = _expiry(seconds)
    storage = default_storage()
    headers = {"Content-Type": content_type}
    if is_s3(storage):
        params = {"Bucket": storage.bucket_name, "Key": key, "ContentType": content_type}
        if size is not None:
            params["ContentLength"] = int(size)  # X-Amz-SignedHeaders then names content-length
        sse = _sse(storage)
        if sse:
            params["ServerSideEncryption"] = sse
            headers["x-amz-server-side-encryption"] = sse
        url = storage.connection.meta.client.generate_presigned_url(
            "put_object", Params=params, ExpiresIn=seconds, HttpMethod="PUT"
        )
        return Link(url, expires_at, "PUT", headers)
    extra = {"size": int(size)} if size is not None else {}
    token = _local_token("PUT", key, seconds, content_type=content_type, **extra)
    return Link(reverse("storage-file", args=[token]), expires_at, "PUT", headers)


def upload_post(key: str, content_type: str, max_size: int, *, seconds: int | None = None) -> Link:
    """A presigned POST (an HTML form upload): S3 itself refuses another content type or a size over
    ``max_size``. The form sends ``fields`` and then the ``file`` part. S3 only."""
    check_own(key)
    storage = default_storage()
    if not is_s3(storage):
        raise StorageError("POST uploads need S3; use upload_link on the local folder.")
    seconds, expires_at = _expiry(seconds)
    fields = {"Content-Type": content_type}
    conditions = [{"Content-Type": content_type}, ["content-length-range", 1, int(max_size)]]
    sse = _sse(storage)
    if sse:
        fields["x-amz-server-side-encryption"] = sse
        conditions.append({"x-amz-server-side-encryption": sse})
    post = storage.connection.meta.client.generate_presigned_post(
        storage.bucket_name, key, Fields=fields, Conditions=conditions, ExpiresIn=seconds
    )
    return Link(post["url"], expires_at, "POST", {}, post["fields"])


def _sse(storage) -> str:
    return (getattr(storage, "object_parameters", None) or {}).get("ServerSideEncryption", "")


# --- the local folder: signed links served by platform/documents/views.py ---------------------------


def _local_token(method: str, key: str, seconds: int, **extra) -> str:
    payload = {"m": method, "k": key, "e": int((timezone.now() + timedelta(seconds=seconds)).timestamp()), **extra}
    return signing.dumps(payload, salt=LOCAL_LINK_SALT, compress=True)


def read_local_token(token: str, method: str) -> dict:
    """The payload of a local link for ``method`` in the current center; StorageError when forged, expired,
    issued for another method or another center."""
    try:
        payload = signing.loads(token, salt=LOCAL_LINK_SALT)
    except signing.BadSignature:
        raise StorageError("Bad link.") from None
    if payload.get("m") != method or payload.get("e", 0) < timezone.now().timestamp():
        raise StorageError("Expired link.")
    check_own(payload.get("k", ""))
    return payload


def _meta_path(key: str):
    return Path(default_storage().path(key) + ".meta")


def _local_meta(key: str) -> dict:
    try:
        return json.loads(_meta_path(key).read_text())
    except (OSError, ValueError):
        return {}
