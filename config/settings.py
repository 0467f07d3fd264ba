"""Settings for the Council Transformation Library.

One module for every machine: everything that differs between machines comes from
the environment, and a bad value fails loudly at start-up rather than later.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable, refusing anything ambiguous."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, on the site that asks curators for their second factor (accounts/admin_site.py).
    "accounts.admin_apps.CuratorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
    "api",
    "curation",
    "accounts",
    "transform_models",
    "councils",
    "casestudies",
    "surveys",
    "releases",
]

MIDDLEWARE = [
    # First: decides whether this request's reads may go to a replica (docs/deployment.md).
    "config.db_router.PrimaryPinningMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # After CORS, so that a 304 still carries the CORS headers; before sessions and CSRF, so that
    # the Cache-Control decision sees the cookies they set. ETags only for non-streaming responses.
    "django.middleware.http.ConditionalGetMiddleware",
    "config.caching.CacheControlMiddleware",
    # Inside the two above, so that a cached answer still gets its ETag, 304 and Cache-Control.
    "api.library_cache.LibraryResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives request.user.is_verified(): signed in with a second factor (docs/security.md).
    "django_otp.middleware.OTPMiddleware",
    "config.sessions.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view's OperationalError (statement timeout, database down) is the site's 503, not a 500.
    "config.database_outage.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lock-out signalled further down into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["casestudies.templatetags.library"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups keep timestamps to the microsecond (config/exact_json.py).
SERIALIZATION_MODULES = {"exact-json": "config.exact_json"}

AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate a locked-out username and IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/build/ holds the compiled GOV.UK Frontend CSS and JS (npm run build:css; never committed).
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers on every response. SecurityMiddleware sends X-Content-Type-Options and
# Referrer-Policy, XFrameOptionsMiddleware X-Frame-Options, config.middleware the rest.
# (SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY and X_FRAME_OPTIONS: see "Transport and
# browser security" below.)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# A strict Content Security Policy: no inline script or style, nothing from elsewhere, and no
# hashes or nonces. Only the interactive API console (Swagger UI, config/api_urls.py) extends it,
# with django-csp's csp_update: its inline styles and data: icons; its script is a file too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Where people named in the library ask for their details to be removed (shown on /privacy/).
PRIVACY_CONTACT_EMAIL = os.environ.get("DJANGO_PRIVACY_CONTACT_EMAIL", "")

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Where the source documents live (used by the seed-data completeness test).
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds"))

# mySociety's register of UK councils, read by ``manage.py import_council_register``.
COUNCIL_REGISTER_DIR = Path(
    os.environ.get("COUNCIL_REGISTER_DIR", BASE_DIR.parent / "shared" / "data" / "uk-local-authorities")
)


# Versioned data releases (``manage.py publish_release``): where their files are written (one
# directory per release, never rewritten) and the site's public address for their citations.
RELEASES_ROOT = Path(os.environ.get("RELEASES_ROOT", BASE_DIR / "release-files"))
RELEASES_SITE_URL = os.environ.get("RELEASES_SITE_URL", "").strip().rstrip("/")
if RELEASES_SITE_URL and not RELEASES_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"RELEASES_SITE_URL={RELEASES_SITE_URL!r}: set it to the site's address, e.g. https://library.example.gov.uk"
    )


def env_throttle_rate(name: str, default: str) -> str | None:
    """A DRF rate such as ``1000/hour``; ``off`` disables the limit (benchmarks only)."""
    raw = os.environ.get(name, default).strip().lower()
    if raw in {"off", "none", "0"}:
        return None
    count, _, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in {"second", "minute", "hour", "day", "s", "m", "h", "d"}:
        raise ImproperlyConfigured(
            f"{name} must look like 1000/hour (second, minute, hour or day) or off; got {raw!r}."
        )
    return raw


# Reverse proxies in front of the app that append to X-Forwarded-For; 0: use the connection's
# address and ignore the header (config/client_ip.py, used by the API rate limit and django-axes).
TRUSTED_PROXY_COUNT = env_int("API_NUM_PROXIES", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("API_NUM_PROXIES must be 0 or the number of proxies in front of the app.")

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterSetOnViewBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.APIAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.LibraryPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_throttle_rate("API_THROTTLE_ANON", "2000/hour")},
    # Not DRF's own X-Forwarded-For handling: the throttle keys on config.client_ip (TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_METADATA_CLASS": None,
    "PAGE_SIZE": 20,
    "COERCE_DECIMAL_TO_STRING": False,
    "STRICT_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Council Transformation Library API",
    "DESCRIPTION": (
        "Read-only open data on how UK councils transform the way they deliver services. "
        "Every list of records answers JSON (paginated) or CSV (?format=csv, the whole filtered list). "
        "Multi-valued parameters repeat (?model=sharing&model=holistic): OR within a parameter, "
        "AND across parameters. See docs/api.md for the researcher's guide."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CouncilTypeEnum": "councils.models.CouncilType.choices",
        "RegionEnum": "councils.models.Region.choices",
        "FigureKindEnum": "casestudies.models.FigureKind.choices",
        "FigurePeriodEnum": "casestudies.models.FigurePeriod.choices",
        "FigureStatusEnum": "casestudies.models.FigureStatus.choices",
    },
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
FORMS_URLFIELD_ASSUME_HTTPS = True


# Transport and browser security. Safe by default when not debugging: every value can be
# changed from the environment (README, "Configuration"), and `manage.py check --deploy`
# reports no warning with the defaults.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Read 'HTTP_X_FORWARDED_PROTO,https' as the (header, value) pair Django expects."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 2 or not all(parts) or not parts[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"{name} must be a request.META header name and the value meaning HTTPS, "
            f"e.g. 'HTTP_X_FORWARDED_PROTO,https'; got {raw!r}."
        )
    return parts[0], parts[1]


# Only behind a proxy that sets this header itself and strips it from clients' requests.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Curators' sessions: signed out after 12 hours, or 30 minutes without a request (config/sessions.py).
SESSION_MAX_SECONDS = env_int("DJANGO_SESSION_MAX_MINUTES", 12 * 60) * 60
SESSION_IDLE_SECONDS = env_int("DJANGO_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Brute-force protection for the curator sign-in (django-axes). Two rules, each for the cool-off
# period: a username is locked out from one IP address after AXES_FAILURE_LIMIT failed attempts,
# and from everywhere after USERNAME_FAILURE_LIMIT (three times as many by default), so that a
# password spray from many addresses is stopped too. The handler (accounts/lockout.py) gives each
# rule of AXES_LOCKOUT_PARAMETERS its own limit.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
USERNAME_FAILURE_LIMIT = env_int("DJANGO_AXES_USERNAME_FAILURE_LIMIT", 3 * AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.CuratorLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("DJANGO_AXES_FAILURE_LIMIT must be at least 1.")
if USERNAME_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("DJANGO_AXES_USERNAME_FAILURE_LIMIT must be at least DJANGO_AXES_FAILURE_LIMIT.")
# Second factor for every curator (django-otp): an authenticator app (TOTP) and single-use
# recovery codes. The admin lets no one in who has not given one (accounts/admin_site.py).
OTP_TOTP_ISSUER = "Council Transformation Library"
# The device pages of the admin never show a secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10
# Axes announces its configuration at every start-up; keep its warnings and lock-outs only.
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}
# django-redis logs each error it ignores (see cache_backend): at most one a minute reaches the log.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "config.cache"
LOGGING["filters"] = {"once_a_minute": {"()": "config.log_filters.OncePerInterval", "seconds": 60}}
LOGGING["handlers"]["cache_outage"] = {
    "class": "logging.StreamHandler",
    "formatter": "plain",
    "filters": ["once_a_minute"],
}
LOGGING["loggers"]["config.cache"] = {"handlers": ["cache_outage"], "level": "WARNING", "propagate": False}

# --- Performance and scale-out (issue 6) ---------------------------------------------------------
# Read replicas, shared cache and HTTP caching headers. See docs/deployment.md.


REPLICA_CONNECT_TIMEOUT = 2


def database_replicas(urls: str, conn_max_age: int = 60) -> dict[str, dict]:
    """``replica_1``, ``replica_2``, … database settings from comma-separated PostgreSQL URLs."""
    replicas = {}
    for number, url in enumerate((u.strip() for u in urls.split(",") if u.strip()), start=1):
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        if not config["ENGINE"].endswith("postgresql"):
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS entry {number} is not a postgres:// URL.")
        # A replica that cannot be reached is given up on after 2 s (the request then reads from
        # another one or the primary: config/db_router.py), unless the URL says otherwise.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", REPLICA_CONNECT_TIMEOUT)
        # Under test, a replica is the test primary itself: no second test database to create.
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica_{number}"] = config
    return replicas


def cache_backend(redis_url: str) -> dict:
    """Redis when ``REDIS_URL`` is set (shared by every app server), else this process's memory."""
    if redis_url.strip():
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url.strip(),
            # Fail open: a Redis that is down or slow makes every read a miss and every write a
            # no-op (logged, once a minute), so the site answers uncached instead of failing.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


DATABASES.update(
    database_replicas(os.environ.get("DATABASE_REPLICA_URLS", ""), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
)
DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]


def with_session_setting(database: dict, name: str, value: str) -> dict:
    """A PostgreSQL run-time setting for every connection to ``database``, sent as a connection
    option (``-c name=value``; the last one given wins). Other databases: unchanged."""
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c {name}={value}".strip()
    return database


def with_statement_timeout(database: dict, milliseconds: int) -> dict:
    """PostgreSQL cancels any statement of this connection that runs longer than ``milliseconds``
    (``statement_timeout``; 0: no limit). Other databases: unchanged."""
    return with_session_setting(database, "statement_timeout", str(milliseconds)) if milliseconds else database


# Every statement a web request runs is cancelled after this long, and the request answered with
# the site's 503 (config/database_outage.py). manage.py sets 0 for management commands other than
# runserver (migrations and data loads may rightly run longer; docs/deployment.md).
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
if DATABASE_STATEMENT_TIMEOUT_MS < 0:
    raise ImproperlyConfigured("DATABASE_STATEMENT_TIMEOUT_MS must be 0 (no limit) or a number of milliseconds.")
# PostgreSQL's JIT compiler is off (DATABASE_JIT=off): it compiles a statement whose *estimated* cost
# passes jit_above_cost, and ours are estimated high (subqueries per row, counts over the library)
# but run in milliseconds, so the compiling is what takes the time (docs/performance.md, "PostgreSQL's
# JIT"). "on" turns it on; empty sends nothing (the server's or the role's setting: behind PgBouncer).
DATABASE_JIT = os.environ.get("DATABASE_JIT", "off").strip().lower()
if DATABASE_JIT not in ("off", "on", ""):
    raise ImproperlyConfigured("DATABASE_JIT must be off (the default), on, or empty (the server's setting).")
# The API's row statements (a page's or a detail's rows by id, api/serializer_rows.py) are prepared:
# parsed and planned once per connection (their plan does not depend on the ids). That needs
# parameters bound on the server (Django's server_side_binding); nothing else is prepared (Django's
# default), and every other statement is still planned for its own values. Off (0) behind
# PgBouncer < 1.21 in transaction pooling mode, which cannot keep a prepared statement.
DATABASE_PREPARED_ROW_STATEMENTS = env_bool("DATABASE_PREPARED_ROW_STATEMENTS", True)
for _database in DATABASES.values():
    with_statement_timeout(_database, DATABASE_STATEMENT_TIMEOUT_MS)
    if DATABASE_JIT:
        with_session_setting(_database, "jit", DATABASE_JIT)
    if DATABASE_PREPARED_ROW_STATEMENTS and _database["ENGINE"].endswith("postgresql"):
        _database.setdefault("OPTIONS", {})["server_side_binding"] = True
# Behind PgBouncer in transaction pooling mode, server-side cursors (QuerySet.iterator()) break;
# without them the CSV export reads in keyset batches (api/keyset.py).
if env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True

CACHES = {"default": cache_backend(os.environ.get("REDIS_URL", ""))}

CACHE_MAX_AGE = env_int("CACHE_MAX_AGE", 60)
# Counts, facet counts and anonymous responses are cached for this long, then computed again
# (api/library_cache.py: time only, no invalidation); 0 turns that off.
LIBRARY_CACHE_SECONDS = env_int("LIBRARY_CACHE_SECONDS", CACHE_MAX_AGE)

# A contact not checked for this many months is shown as "may be out of date" and listed for curators.
CONTACT_CHECK_MONTHS = env_int("CONTACT_CHECK_MONTHS", 12)
