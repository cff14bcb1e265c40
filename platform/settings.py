"""Django settings for Ostoja. Every value comes from the environment (see .env.example)."""

from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # the repository root (the `ostoja` package)

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("OSTOJA_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET = "ostoja-dev-only-insecure-key-change-me"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# --- Hosts and tenancy -------------------------------------------------------------------------
# <slug>.<BASE_DOMAIN> serves a center; the bare BASE_DOMAIN serves the platform.
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost").lower().strip(".")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Database ------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", default="")
if DATABASE_URL:
    _db = env.db_url_config(DATABASE_URL)
    _db["HOST"] = unquote(_db.get("HOST") or "")  # postgres://user@%2Frun%2Fpostgresql/db: a socket folder
else:
    from ostoja.platform.embedded_db import ensure_server

    _db = ensure_server(VAR_DIR).django_settings()
_db.update(ENGINE="django_tenants.postgresql_backend", CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=0))
if env("TEST_DATABASE_NAME", default=""):
    _db["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
DATABASES = {"default": _db}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TENANT_MODEL = "tenants.Center"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New centers are clones of this schema (DESIGN.md §2); it is migrated on every `migrate`.
TENANT_BASE_SCHEMA = "center_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# TENANT_LIMIT_SET_CALLS stays off: see DESIGN.md §2.
PUBLIC_SCHEMA_URLCONF = "ostoja.platform.urls_platform"
ROOT_URLCONF = "ostoja.platform.urls_center"

SHARED_APPS = [
    "django_tenants",
    "ostoja.tenants",  # before django_tenants' commands are looked up: our migrate_schemas wins
    "ostoja.platform.accounts",
    "ostoja.platform.audit",
    "ostoja.platform.jobs",
    "ostoja.platform.web",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "graphene_django",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "ostoja.platform.accounts",
    "ostoja.platform.audit",
    "ostoja.tenants.configuration",
    "ostoja.platform.staff",
    "ostoja.modules.cases",
    "ostoja.modules.foster_care",
    "ostoja.modules.projects",
    "ostoja.platform.documents",
    "ostoja.platform.jobs",
    "ostoja.platform.notifications",
    "ostoja.platform.exports",
]
INSTALLED_APPS = ["ostoja.tenants"] + [a for a in SHARED_APPS if a != "ostoja.tenants"]
INSTALLED_APPS += [a for a in TENANT_APPS if a not in INSTALLED_APPS]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "ostoja.tenants.middleware.CenterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ostoja.platform.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ostoja.platform.web.navigation.navigation",
                "ostoja.tenants.context_processors.center",
            ],
        },
    }
]
WSGI_APPLICATION = "ostoja.platform.wsgi.application"

# --- Sessions and security: host-only cookies, so a center's session is worthless elsewhere -------
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_NAME = "ostoja_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
# Messages in the server-side session, never in a cookie (some carry one-time set-password links).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
FORM_RENDERER = "ostoja.platform.web.forms.Renderer"
LOGOUT_REDIRECT_URL = "home"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache: keys carry the schema (DESIGN.md §2) ----------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
CACHES["default"].update(
    KEY_FUNCTION="django_tenants.cache.make_key", REVERSE_KEY_FUNCTION="django_tenants.cache.reverse_key"
)
# Suppressed partner tables (tenants/statistics.py): in PostgreSQL, so every web process shares what the nightly
# snapshot task prepared. The table is made by `ostoja migrate` (createcachetable).
CACHES["figures"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "ostoja_figures_cache",
    "TIMEOUT": 7 * 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}

# --- Language and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "platform" / "locale", BASE_DIR / "graphql" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves /static/ in every mode; straight from the apps' folders unless `collectstatic` was run.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"noreply@{BASE_DOMAIN}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Ostoja --------------------------------------------------------------------------------------
# Slugs that can never name a center (they are hosts, schemas or URL words of their own).
RESERVED_CENTER_SLUGS = {
    "public",
    "www",
    "admin",
    "api",
    "platform",
    "static",
    "media",
    "mail",
    "smtp",
    "ftp",
    "graphql",
    "login",
    "logout",
    "auth",
    "app",
    "test",
    "localhost",
    "template",
    "default",
    "root",
    "postgres",
    "information_schema",
    TENANT_BASE_SCHEMA,
}
# Seconds a host → center lookup stays cached (0: look it up on every request). See tenants/middleware.py.
OSTOJA_HOST_CACHE_SECONDS = env.int("OSTOJA_HOST_CACHE_SECONDS", default=60)
# Extra host names that serve the platform besides BASE_DOMAIN (e.g. www.ostoja.pl).
PLATFORM_EXTRA_HOSTS = env.list("PLATFORM_EXTRA_HOSTS", default=[])
# Login lockout: this many failures for one username on one host lock it for LOCKOUT seconds.
# Several web processes need a shared cache (CACHE_URL=redis://…) for the counters to add up.
OSTOJA_LOGIN_MAX_FAILURES = env.int("OSTOJA_LOGIN_MAX_FAILURES", default=5)
OSTOJA_LOGIN_LOCKOUT_SECONDS = env.int("OSTOJA_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# Scheme of the absolute links Ostoja prints (set-password links).
OSTOJA_LINK_SCHEME = env("OSTOJA_LINK_SCHEME", default="https" if SESSION_COOKIE_SECURE else "http")
# Module demo seeders, called by `ostoja demo` for every demo center (a dotted path to seed(center)).
# Each is called inside the center's schema with the Center; persons come first, the others use them.
OSTOJA_DEMO_SEEDERS = env.list(
    "OSTOJA_DEMO_SEEDERS",
    default=[
        "ostoja.modules.cases.demo.seed",
        "ostoja.modules.foster_care.demo.seed",
        "ostoja.modules.projects.demo.seed",
    ],
)

# --- GraphQL (graphql/): limits checked before a document runs ---------------------------------------
GRAPHENE = {
    "SCHEMA": "ostoja.graphql.staff.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": env.int("OSTOJA_GRAPHQL_MAX_PAGE_SIZE", default=100),
    "ATOMIC_MUTATIONS": False,  # each mutation runs its service in its own transaction (graphql/core/mutations.py)
}
OSTOJA_GRAPHIQL = env.bool("OSTOJA_GRAPHIQL", default=DEBUG)
OSTOJA_GRAPHQL_INTROSPECTION = env.bool("OSTOJA_GRAPHQL_INTROSPECTION", default=True)
OSTOJA_GRAPHQL_MAX_DEPTH = env.int("OSTOJA_GRAPHQL_MAX_DEPTH", default=10)
OSTOJA_GRAPHQL_MAX_COST = env.int("OSTOJA_GRAPHQL_MAX_COST", default=50_000)
OSTOJA_GRAPHQL_MAX_ALIASES = env.int("OSTOJA_GRAPHQL_MAX_ALIASES", default=30)
OSTOJA_GRAPHQL_MAX_BATCH = env.int("OSTOJA_GRAPHQL_MAX_BATCH", default=10)
# A mutation reporting an error code it does not declare fails loudly (the test suite turns this on).
OSTOJA_GRAPHQL_STRICT_ERROR_CODES = env.bool("OSTOJA_GRAPHQL_STRICT_ERROR_CODES", default=False)
# Partner aggregates: counts from 1 to THRESHOLD-1 are suppressed (with secondary suppression).
OSTOJA_SUPPRESSION_THRESHOLD = env.int("OSTOJA_SUPPRESSION_THRESHOLD", default=5)

# --- Background work (platform/celery_app.py) ------------------------------------------------------------------
# Redis or SQS in production; without it a broker that needs no server: kombu's filesystem transport under var/.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),  # default: ./control in the working directory
        "store_processed": False,
        # the default (1 s) makes every task wait about a second (DESIGN.md §6)
        "polling_interval": env.float("CELERY_POLLING_INTERVAL", default=0.05),
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "ostoja"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}  # periodic tasks register here (platform/celery_app.py)
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_QUEUE_DIR / "beat-schedule")

# --- Files ---------------------------------------------------------------------------------------------------------
# A local folder (var/media) by default; S3 (or any S3-compatible server) when AWS_STORAGE_BUCKET_NAME is set.
# Every key lives under centers/<schema>/ (platform/storage.py).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="eu-central-1")
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
AWS_S3_SIGNATURE_VERSION = "s3v4"  # DESIGN.md §6
AWS_DEFAULT_ACL = None  # private objects; access only through presigned links
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = env.int("OSTOJA_LINK_EXPIRES_SECONDS", default=300)
AWS_S3_OBJECT_PARAMETERS = {"ServerSideEncryption": env("AWS_S3_SSE", default="AES256")}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage"}
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Reminders (platform/notifications): also e-mail them (to recipients with an address, where the center allows).
NOTIFICATIONS_SEND_EMAIL = env.bool("NOTIFICATIONS_SEND_EMAIL", default=True)
# Exports (platform/exports): days a finished export's file is kept before the daily purge deletes it.
OSTOJA_EXPORT_RETENTION_DAYS = env.int("OSTOJA_EXPORT_RETENTION_DAYS", default=7)
