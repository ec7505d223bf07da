"""Settings for onemst, read from the environment.

Defaults give a working embedded platform (SQLite file, in-memory channel
layer); production sets DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from admin_theme.unfold import UNFOLD  # noqa: F401  (read by django-unfold)
from modules.engine.discovery import discover_module_apps

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean flag such as DEBUG=1 / DEBUG=false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:  # a known key would let anyone forge sessions, board sessions and reset links
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY chưa được đặt: với DEBUG=false, hãy đặt một khoá ngẫu nhiên dài (50+ ký tự). / "
            "SECRET_KEY is not set: with DEBUG=false, set a long random key (50+ characters), e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )
    SECRET_KEY = "onemst-dev-insecure-key-change-me"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000").split(",") if o
]

# --- A frontend on another origin (django-cors-headers) -----------------------------------
# CORS_ALLOWED_ORIGINS: full origins (scheme://host[:port]) whose pages may call /graphql/.
# Token calls need no cookies; CORS_ALLOW_CREDENTIALS=true also lets such a page send the
# session cookie (then list the origin in CSRF_TRUSTED_ORIGINS as well). Browser WebSockets
# are checked against WEBSOCKET_ALLOWED_ORIGINS (default: the CORS origins) besides
# ALLOWED_HOSTS; see realtime/origin.py.
CORS_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o.strip()]
CORS_ALLOW_CREDENTIALS = env_bool("CORS_ALLOW_CREDENTIALS", False)
CORS_URLS_REGEX = r"^/graphql/"
CORS_ALLOW_HEADERS = (
    "accept", "authorization", "content-type", "idempotency-key", "x-csrftoken", "x-requested-with",
)
CORS_PREFLIGHT_MAX_AGE = 3600
WEBSOCKET_ALLOWED_ORIGINS = [
    o.strip() for o in os.environ.get("WEBSOCKET_ALLOWED_ORIGINS", ",".join(CORS_ALLOWED_ORIGINS)).split(",")
    if o.strip()
]
# A CSRF refusal on /graphql/ answers GraphQL-shaped JSON with a typed code (config/csrf.py).
CSRF_FAILURE_VIEW = "config.csrf.csrf_failure"

# --- HTTPS (production behind TLS) -----------------------------------------------
# HTTPS=true: cookies only over TLS, HSTS, and plain-HTTP requests redirected. Behind a
# reverse proxy that terminates TLS, BEHIND_PROXY=true trusts its X-Forwarded-Proto
# header (the proxy must set it and strip any client-sent copy).
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Wall-screen boards trade their ?token= for a signed cookie this long (seconds); the page
# renews it while the token stays valid, so revoking the token ends the board within it.
BOARD_SESSION_SECONDS = int(os.environ.get("BOARD_SESSION_SECONDS", "600"))

# Extra apps (e.g. the test-only sample module) come from the environment so the
# same settings serve the platform, the tests and the Daphne test server.
EXTRA_MODULE_APPS = [a for a in os.environ.get("ONEMST_EXTRA_APPS", "").split(",") if a]

INSTALLED_APPS = [
    "daphne",
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.inlines",
    "unfold.contrib.simple_history",
    "unfold.contrib.guardian",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "corsheaders",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "import_export",
    "strawberry_django",
    "channels",
    "django_q",
    "modules.engine",
    *discover_module_apps(BASE_DIR / "modules"),
    *EXTRA_MODULE_APPS,
    "realtime",
    "schema",
    "admin_theme",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware, so preflight answers carry the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Daphne serves no static files: WhiteNoise serves the admin's CSS/JS from the app.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it is sync-only, and Django switches async->sync at the innermost sync-only
    # middleware; below it the three above ran async, each hook a thread hop (issue 13).
    "modules.engine.tokens.BearerTokenMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "onemst.sqlite3"))
if os.environ.get("DATABASE_URL"):
    # A bounded pool per process (Django's own, on psycopg_pool): a connection kept per worker
    # thread ran PostgreSQL out of slots under load. A request waits up to DB_POOL_TIMEOUT
    # seconds for a free connection instead of failing; size DB_POOL_MAX so that
    # (server processes + job workers) × DB_POOL_MAX stays under PostgreSQL's max_connections.
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "30")),
    }
else:
    Path(SQLITE_PATH).parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # IMMEDIATE transactions take the write lock at BEGIN, so concurrent
            # writers queue (up to `timeout`) instead of failing with "locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file (not :memory:) so that a Daphne test server can share it.
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / "var" / "test.sqlite3"))},
            # Kept per thread (the API's kept thread pool, config/onehop.py; the live relay): a
            # new SQLite connection parses the whole schema (350 tables, 1,600 indexes), about
            # 12 ms, before its first statement. SQLite has no connection slots to run out of.
            "CONN_MAX_AGE": int(os.environ.get("SQLITE_CONN_MAX_AGE", "600")),
        }
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("POSTGRES_TEST_DB", "test_onemst")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels -----------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [os.environ["REDIS_URL"]],
                # channels-redis drops messages to a full channel (default 100);
                # live boards fan out widely, so give each socket headroom.
                "capacity": 2000,
                "expiry": 30,
                "prefix": os.environ.get("CHANNELS_PREFIX", "onemst"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 2000}}
    }

# --- Cache ----------------------------------------------------------------------
# Shared by every worker process: users' resolved permission facts live here
# (modules/engine/authcache.py), so a change made in one process is seen by all.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "onemst"),
            # one pool per process, not a new socket per request (config/redispool.py)
            "OPTIONS": {"pool_class": "config.redispool.SharedConnectionPool"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Jobs (django-q2) ---------------------------------------------------------------
# The database is the broker: it works on the embedded SQLite and on PostgreSQL,
# and a job is claimed with a row lock, so several clusters never run one twice.
# `catch_up: False`: after downtime the schedule runs once, not once per missed minute.
Q_CLUSTER = {
    "name": "onemst",
    "orm": "default",
    "workers": int(os.environ.get("JOB_WORKERS", "1")),
    "timeout": 300,
    "retry": 360,
    "poll": 1,
    "catch_up": False,
    "save_limit": 200,
    "label": "Việc nền / Background jobs",
}

# --- Heavy uploads ------------------------------------------------------------------
# An image's pixels are counted from its header, before decoding (modules/engine/images.py).
MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", "24000000"))
# A create retried with the same idempotency key within this many hours returns the first record.
ONEMST_IDEMPOTENCY_HOURS = float(os.environ.get("IDEMPOTENCY_HOURS", "24"))
# Report extraction runs in a child process with these caps (modules/engine/sandbox.py);
# a file over the SYNC sizes goes to the job worker and the officer watches its progress.
EXTRACTION_SYNC_MAX_BYTES = int(os.environ.get("EXTRACTION_SYNC_MAX_BYTES", "2000000"))
EXTRACTION_SYNC_MAX_UNZIPPED = int(os.environ.get("EXTRACTION_SYNC_MAX_UNZIPPED", "25000000"))
EXTRACTION_SYNC_SECONDS = int(os.environ.get("EXTRACTION_SYNC_SECONDS", "20"))
EXTRACTION_JOB_SECONDS = int(os.environ.get("EXTRACTION_JOB_SECONDS", "180"))
EXTRACTION_MEMORY_MB = int(os.environ.get("EXTRACTION_MEMORY_MB", "768"))
# Where a job's input waits for the worker (outside MEDIA_ROOT: never served).
JOB_FILES_ROOT = os.environ.get("JOB_FILES_ROOT", str(BASE_DIR / "var" / "job-files"))

# --- Mail -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "One MST <no-reply@onemst.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# SMS to applicants (modules/engine/outbox.py): JSON {"to", "text", "id"} POSTed to this gateway;
# empty = no SMS is queued. The token, if any, goes as "Authorization: Bearer".
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")

# --- Auth ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "modules.engine.backends.OneQueryModelBackend",  # ModelBackend, one query for role permissions
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/admin/"  # the admin is the platform's home for signed-in staff
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous sees nothing
GUARDIAN_RENDER_403 = True
SILENCED_SYSTEM_CHECKS = ["fields.W342"]  # Person.user: a unique FK keeps the generic link kind

# --- I18N ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese for what Django, Unfold, guardian, simple-history and django-q2 leave in English
# (admin_theme/locale/vi; `manage.py compile_locale` writes the .mo, committed).
LOCALE_PATHS = [BASE_DIR / "admin_theme" / "locale"]
# Dates as dd/mm/yyyy in the Vietnamese UI (config/formats/vi/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Files also come straight from the apps, so a server works before (or without) collectstatic.
WHITENOISE_USE_FINDERS = True
# GraphiQL at /graphql/ in the browser; its files are ours (schema/graphiql_assets.py), no CDN.
GRAPHIQL = env_bool("GRAPHIQL", DEBUG)
# Uploaded files are private: no URL serves MEDIA_ROOT; the engine's view checks the record's
# rule and then streams the bytes, or hands them to the web server (modules/engine/file_views.py).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# "" streams from Django; "x-accel" (nginx) or "x-sendfile" (Apache, lighttpd) lets the web
# server send the bytes after the check: README, "Serving uploaded files".
FILES_SENDFILE = os.environ.get("FILES_SENDFILE", "").strip().lower()
FILES_ACCEL_PREFIX = os.environ.get("FILES_ACCEL_PREFIX", "/protected-media/")
if FILES_SENDFILE not in ("", "x-accel", "x-sendfile"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"FILES_SENDFILE={FILES_SENDFILE!r}: để trống, x-accel hoặc x-sendfile. / "
        "Leave it empty, or use x-accel or x-sendfile."
    )
# The size limit of a File field that declares none (`File(..., max_size=...)`), in MB.
FILES_MAX_SIZE = int(float(os.environ.get("FILES_MAX_SIZE_MB", "20")) * 1_000_000)
# Uploads above this go to a temporary file, not memory, so a size check never holds them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default, said out loud
# A request body held in memory (form fields, JSON, a kiosk's raw image; not uploaded files):
# a kiosk image may be 5 MB, so a little more than that.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- onemst engine ------------------------------------------------------------
# The engine knows no domain: it asks this module who belongs to which unit.
ONEMST_DIRECTORY = "modules.org.directory"
ONEMST_CALENDAR = "modules.calendar.holidays"  # the holiday table behind engine.workdays
ONEMST_UNIT_MODEL = "org.Unit"
# Seconds a process keeps a valid token; revocations through Django are seen at once, raw SQL within this.
ONEMST_TOKEN_CACHE_SECONDS = float(os.environ.get("TOKEN_CACHE_SECONDS", "5"))
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "15"))
# Abuse limits checked before execution (schema/limits.py, schema/cost.py): document size in
# UTF-8 bytes, lexical tokens, and the cost budget (field values after fragment expansion,
# lists times their page size) of anonymous and signed-in callers.
GRAPHQL_MAX_DOCUMENT_BYTES = int(os.environ.get("GRAPHQL_MAX_DOCUMENT_BYTES", "20000"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "2000"))
GRAPHQL_COST_LIMIT_ANONYMOUS = int(os.environ.get("GRAPHQL_COST_LIMIT_ANONYMOUS", "1000"))
GRAPHQL_COST_LIMIT_SIGNED_IN = int(os.environ.get("GRAPHQL_COST_LIMIT_SIGNED_IN", "200000"))
GRAPHQL_COST_LIST_FACTOR = int(os.environ.get("GRAPHQL_COST_LIST_FACTOR", "10"))  # a list with no page size
# Server time per query or mutation (schema/deadline.py); 0 switches the limit off.
GRAPHQL_TIMEOUT_SECONDS = float(os.environ.get("GRAPHQL_TIMEOUT_SECONDS", "15"))
# Who may introspect the schema: all | signed-in | off (default: all with DEBUG, else signed-in).
GRAPHQL_INTROSPECTION = os.environ.get("GRAPHQL_INTROSPECTION", "all" if DEBUG else "signed-in")
if GRAPHQL_INTROSPECTION not in ("all", "signed-in", "off"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"GRAPHQL_INTROSPECTION={GRAPHQL_INTROSPECTION!r}: dùng all, signed-in hoặc off. / "
        "Use all, signed-in or off."
    )

STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": False,
    "MUTATIONS_DEFAULT_HANDLE_ERRORS": True,
    "PAGINATION_DEFAULT_LIMIT": 100,
    "PAGINATION_MAX_LIMIT": 1000,
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "modules.engine.logfilters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # a 403 or a typed GraphQL refusal is one line, not a traceback (modules/engine/logfilters.py)
    "loggers": {
        name: {"filters": ["one_line_refusals"]} for name in ("django.request", "strawberry.execution")
    },
}
