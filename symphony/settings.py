"""Settings for Symphony, read from the environment (12-factor).

With no environment at all Symphony runs on the embedded default: a SQLite file under
``var/``, the in-memory channel layer and the runner inside the app's own processes.
Setting ``DATABASE_URL`` and ``REDIS_URL`` selects the scaled-out shape. Every variable is
documented in ``.env.example``.
"""

import base64
import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SYMPHONY_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def load_secret_key() -> str:
    """The SECRET_KEY from the environment, or one generated once into var/ and reused."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def load_encryption_keys() -> list[str]:
    """Fernet keys for secrets at rest (symphony/crypto.py): SYMPHONY_ENCRYPTION_KEY (comma-separated,
    the first encrypts), or one generated once into var/ beside the secret key and reused."""
    if keys := env_list("SYMPHONY_ENCRYPTION_KEY", ""):
        return keys
    path = VAR_DIR / "encryption_key"
    # Created owner-only from the start, and only once even when two processes start together.
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return [path.read_text().strip()]


SECRET_KEY = load_secret_key()
ENCRYPTION_KEYS = load_encryption_keys()
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

# HTTPS. The defaults suit http://127.0.0.1; .env.example lists the production values, with which
# `manage.py check --deploy` prints no warning (tests/security/test_security_settings.py).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Behind a TLS-terminating proxy: the header (e.g. X-Forwarded-Proto) that says the client used
# https, so the redirect and secure cookies see the request as it was made. Only set it when the
# proxy always sets (or strips) that header, or a client could claim https.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
# Paths (regexes, no leading slash) answered over plain http too, e.g. a load balancer's health
# check. The Step Functions endpoint always is: a redirected POST would lose its body and
# signature, SigV4 already protects it, and AWS's own endpoints never redirect.
SECURE_REDIRECT_EXEMPT = [r"^aws/states/?$", *env_list("SECURE_REDIRECT_EXEMPT", "")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "channels",
    "django_vite",
    "accounts",
    "designer",
    "executions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "symphony.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "executions.approval_inbox.nav_counts",
            ],
        },
    },
]

ASGI_APPLICATION = "symphony.asgi.application"
WSGI_APPLICATION = None

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'symphony.sqlite3'}"),
        # Connections are kept a minute (a new PostgreSQL connection per request cost more than
        # the request) and checked before reuse, so one the server dropped is replaced.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A kept connection's health check reads its socket before it asks the server
    # (symphony/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "symphony.db.postgresql"
    # Parameters travel beside the statement (server-side binding), not quoted into its text
    # in Python by psycopg's client-side cursor (a tenth of the endpoint's and the runner's
    # database work). Prepared statements stay off, Django's default, so a pooler in
    # transaction mode still works in front.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Its transactions take turns within the process (symphony/db/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "symphony.db.sqlite3"
    # WAL lets the runner write while pages read; the busy timeout rides out short locks. A
    # transaction takes the write lock as it begins (IMMEDIATE), so its writes wait their turn
    # there instead of failing "database is locked" when a reading transaction turns writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py's default 5 s read timeout equals channels-redis's 5 s blocking pop, so
            # an idle receive would fail now and then: reads wait longer than the pop. Its pool
            # refuses a command past 100 connections in use (it does not wait): a hundred
            # WebSockets opening at once (each a group_add) failed their handshakes with a 500.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "max_connections": 2000}],
                "capacity": 1000,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/workflows/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "public"]
DJANGO_VITE = {
    "default": {
        "dev_mode": env_bool("VITE_DEV_MODE", False),
        "manifest_path": BASE_DIR / "static" / "dist" / "manifest.json",
        "static_url_prefix": "dist",
    }
}
if (BASE_DIR / "static" / "dist").exists():
    STATICFILES_DIRS.append(("dist", BASE_DIR / "static" / "dist"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "symphony@localhost")
# A mail server that hangs must not hold a runner thread for long.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# Where people reach this Symphony: links in mails (approval requests) start with it.
SYMPHONY_BASE_URL = os.environ.get("SYMPHONY_BASE_URL", "http://127.0.0.1:8000")
# Seconds a request's body may take to arrive after its headers (symphony/body_deadline.py).
SYMPHONY_BODY_SECONDS = float(os.environ.get("SYMPHONY_BODY_SECONDS", "60"))
# Started executions that may wait for a runner before StartExecution is throttled.
SYMPHONY_MAX_PENDING_STARTS = int(os.environ.get("SYMPHONY_MAX_PENDING_STARTS", "1000"))

REST_FRAMEWORK = {
    # Token first: an anonymous request gets 401 with `WWW-Authenticate: Token`, not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "designer.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # One error body, `{code, message, errors}`, for every view under /api/.
    "EXCEPTION_HANDLER": "designer.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # POST /api/approvals/, per target token: a runaway workflow cannot flood the reviewers' inbox.
    "DEFAULT_THROTTLE_RATES": {"approvals": os.environ.get("SYMPHONY_APPROVALS_RATE", "120/minute")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Symphony API",
    "DESCRIPTION": "Design, run and ship AWS Step Functions workflows.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several serializers have a field named "status"; each choice set gets a name of its own.
    "ENUM_NAME_OVERRIDES": {"ApprovalStatusEnum": "executions.approvals.models.ApprovalStatus"},
}

# Local functions run under bubblewrap (executions.function_sandbox); off runs them unconfined as
# the server's user, for a single-user machine only. SYMPHONY_BWRAP names the binary.
SYMPHONY_FUNCTION_SANDBOX = env_bool("SYMPHONY_FUNCTION_SANDBOX", True)
SYMPHONY_BWRAP = os.environ.get("SYMPHONY_BWRAP", "bwrap")

# AWS's definition size limit (1 MiB); request bodies may carry one plus JSON overhead.
MAX_DEFINITION_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# Drift marks are kept looks at a target; pages show one older than this (seconds) as stale and
# offer to check now, rather than calling every target on every view.
SYMPHONY_DRIFT_MAX_AGE = int(os.environ.get("SYMPHONY_DRIFT_MAX_AGE", "900"))

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own config stops its loggers at INFO; at DEBUG the SQL log is heard (and
    # statements are kept: symphony/db/__init__.py).
    "loggers": {"django.db.backends": {"level": LOG_LEVEL}},
}
