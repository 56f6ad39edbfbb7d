"""
Settings for wcointegrity, read from the environment.

SQLite in the project directory is the default database; set DATABASE_URL
(for example postgres://user:password@host/name) to use PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from wcointegrity.origin import parse_origin

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable, or DEBUG=true for local development.")
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The site's public address, such as https://integrity.example.org (a scheme, a host and an
# optional port): every absolute address the site writes names it, whatever host, port or
# scheme a request claims (wcointegrity/origin.py). Required unless DEBUG is on; without it
# the addresses are each request's own.
SITE_URL = os.environ.get("SITE_URL", "").strip()
if SITE_URL:
    _site_origin = parse_origin(SITE_URL)
    SITE_URL = str(_site_origin)
    ALLOWED_HOSTS.append(_site_origin.host)
    # Plain HTTP is redirected to this origin, not to the host the request named.
    SECURE_SSL_HOST = _site_origin.netloc if _site_origin.scheme == "https" else None
elif not DEBUG:
    raise ImproperlyConfigured(
        "Set the SITE_URL environment variable to the site's public address, such as "
        "https://integrity.example.org, or DEBUG=true for local development."
    )

INSTALLED_APPS = [
    "modeltranslation",
    "editorial.adminconfig.CatalogueAdminConfig",
    # Before django.contrib.auth, whose createsuperuser it replaces with one that sets up a second factor.
    "editorial.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The forms' own templates, for FORM_RENDERER below.
    "django.forms",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "reversion",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "import_export",
    "django_tasks_db",
    "choices",
    "publishing",
    "bodies",
    "topics",
    "uncac",
    "sources",
    "documents",
    "events",
    "instruments",
    "catalogue",
    "linkeddata",
    "citations",
    "languages",
    "pages",
    "health",
    "ratelimits",
    "dataset",
    "rest_framework",
    "drf_spectacular",
    "api",
    "search",
    "changes",
    "periodic",
    "alerts",
    "links",
    # Last, so that the permissions of every other app exist when it sets up the staff roles.
    "editorial",
]

MIDDLEWARE = [
    # First: the request's id and access log line cover everything below.
    "wcointegrity.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after it: the redirect to HTTPS reads the request as it came, the rest as addressed to SITE_URL.
    "wcointegrity.origin.SiteOriginMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that may query the database: an outage is a 503, not a 500.
    "wcointegrity.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "publishing.replica.PublicReadMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: it logs out a staff session past its limits, with a message saying why.
    "editorial.sessions.StaffSessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "ratelimits.middleware.RateLimitMiddleware",
    # It serves public pages from the cache once the language is known and the limits applied.
    "publishing.middleware.PublicCacheMiddleware",
    # After the cache: it counts only the costly pages that are rendered afresh.
    "ratelimits.middleware.RenderLimitMiddleware",
]

ROOT_URLCONF = "wcointegrity.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "languages.context_processors.languages",
            ],
        },
    },
]
# Forms render with the templates above, so that templates/django/forms/ can override Django's own
# (pages/forms.py: with an empty list of errors answered without its template).
FORM_RENDERER = "pages.forms.FormRenderer"

WSGI_APPLICATION = "wcointegrity.wsgi.application"


def database_config(url):
    """
    A database's settings from its URL. On PostgreSQL a server that does not answer fails the
    connection within DATABASE_CONNECT_TIMEOUT seconds; with DATABASE_POOL=true each process
    keeps a pool of connections (psycopg's), and a request that waits DATABASE_POOL_TIMEOUT
    seconds for one fails. The site then answers 503 (wcointegrity/outage.py) rather than hang.
    """
    pool = env_bool("DATABASE_POOL")
    config = dj_database_url.parse(
        url,
        # Django keeps no connection of its own open across requests with a pool.
        conn_max_age=0 if pool else int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")))
        if pool:
            options["pool"] = {
                "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
                "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
                "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
            }
    return config


DATABASES = {"default": database_config(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction begins, so that two concurrent admin saves
    # queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Refuses a login while its account or address is locked out, before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Failed logins: after AXES_FAILURE_LIMIT failures for one account, or from one address,
# further attempts are refused for AXES_COOLOFF_MINUTES, whatever the password.
# The address is the client's bucket (ratelimits/clients.py): IPv4 as is, IPv6 by its /64.
# A successful login starts its account's count again, never its address's. Kept in the
# database: the account's name (a digest of a name that is no account's) and the address's
# bucket, never the browser; the log names neither (editorial/lockout.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "editorial.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "editorial.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "ratelimits.clients.client_bucket"
AXES_USERNAME_CALLABLE = "editorial.lockout.lockout_username"
AXES_CLIENT_STR_CALLABLE = "editorial.lockout.client_description"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
AXES_VERBOSE = False
# The audit log records logins; failures are counted in AccessAttempt alone.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# How many reverse proxies stand in front of the site, each appending to X-Forwarded-For.
# 0 (the default) trusts no such header and takes the connection's own address; the checks
# warn when SECURE_PROXY_SSL_HEADER says there is a proxy, and the log, once, when a request
# with X-Forwarded-For comes from this machine.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# Two-factor authentication (django-otp): staff may add a device; administrators, superusers,
# members of the "Two-factor required" group, and every staff member when OTP_REQUIRED_FOR_STAFF
# is on, must (editorial/twofactor.py).
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF")
OTP_TOTP_ISSUER = "WCO Integrity Catalogue"

# Staff sessions (the only ones) end after STAFF_SESSION_IDLE_MINUTES without a request and
# STAFF_SESSION_MAX_HOURS after the login however active (editorial/sessions.py): the limits
# NIST SP 800-63B sets for logins with a second factor. The cookie lasts no longer either.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
STAFF_SESSION_MAX_HOURS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600

# Bulk import and export in the admin (django-import-export): an import is written in one
# transaction, or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# An import's file is kept between its preview and its confirmation, which another process or
# server may answer: in the shared cache when there is one (REDIS_URL), else under MEDIA_ROOT,
# which every process of one machine sees.
IMPORT_EXPORT_TMP_STORAGE_CLASS = (
    "import_export.tmp_storages.CacheStorage"
    if os.environ.get("REDIS_URL")
    else "import_export.tmp_storages.MediaStorage"
)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# The largest document file that staff may upload, in bytes (50 MB). An upload is written to a
# temporary file as it arrives, never held in memory whole, and stopped once it is larger.
DOCUMENT_MAX_SIZE = int(os.environ.get("DOCUMENT_MAX_SIZE", str(50 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["documents.uploads.LimitedUploadHandler"]
# Where uploads are written as they arrive (by default the system's temporary folder).
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# The reading of a document's text (documents/extraction.py) runs in a child process of the worker,
# stopped past these limits: its memory (address space, bytes), its time (seconds, on the clock and
# of processor time), the pages read, the characters kept of a page (a PostgreSQL tsvector holds at
# most 1 MB), and the size an office file (a zip) may unpack to.
DOCUMENT_READING_MEMORY = int(os.environ.get("DOCUMENT_READING_MEMORY", str(1024 * 1024 * 1024)))
DOCUMENT_READING_TIMEOUT = float(os.environ.get("DOCUMENT_READING_TIMEOUT", "120"))
DOCUMENT_READING_MAX_PAGES = int(os.environ.get("DOCUMENT_READING_MAX_PAGES", "2000"))
DOCUMENT_READING_MAX_CHARS = int(os.environ.get("DOCUMENT_READING_MAX_CHARS", "100000"))
DOCUMENT_READING_MAX_UNPACKED = int(os.environ.get("DOCUMENT_READING_MAX_UNPACKED", str(500 * 1024 * 1024)))

# Background work (reading the documents' text) is queued in the database and done by
# `manage.py db_worker`, which `make run` starts beside the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The check of the records' addresses (links/): how often, the seconds to connect and to read
# an answer, the requests at once to one host and the seconds between two to it, and the
# requests at once in all.
LINK_CHECK_INTERVAL_HOURS = float(os.environ.get("LINK_CHECK_INTERVAL_HOURS", "24"))
LINK_CHECK_CONNECT_TIMEOUT = float(os.environ.get("LINK_CHECK_CONNECT_TIMEOUT", "10"))
LINK_CHECK_READ_TIMEOUT = float(os.environ.get("LINK_CHECK_READ_TIMEOUT", "20"))
LINK_CHECK_PER_HOST = int(os.environ.get("LINK_CHECK_PER_HOST", "2"))
LINK_CHECK_HOST_PAUSE = float(os.environ.get("LINK_CHECK_HOST_PAUSE", "1"))
LINK_CHECK_WORKERS = int(os.environ.get("LINK_CHECK_WORKERS", "8"))
# Whether addresses on this machine or a private network are checked too (tests, an intranet).
LINK_CHECK_ALLOW_PRIVATE = env_bool("LINK_CHECK_ALLOW_PRIVATE")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Records are written in English and may carry French text too; where a French text is
# missing, the English one is shown, marked as such.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The records' documents: under MEDIA_ROOT, or in S3-compatible object storage shared by every
    # server (DOCUMENTS_S3_BUCKET). Never served from their storage's address: documents/views.py
    # serves them, to the public only while their record is published.
    "documents": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["DOCUMENTS_S3_BUCKET"],
                "endpoint_url": os.environ.get("DOCUMENTS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("DOCUMENTS_S3_REGION") or None,
                "access_key": os.environ.get("DOCUMENTS_S3_ACCESS_KEY_ID") or None,
                "secret_key": os.environ.get("DOCUMENTS_S3_SECRET_ACCESS_KEY") or None,
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        }
        if os.environ.get("DOCUMENTS_S3_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Security headers, on every response (pages, errors, feeds, files, static files): the
# Content-Security-Policy allows nothing but the site's own scripts, styles, images and forms.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent on HTTPS responses only. Production keeps the defaults; a site that shares its domain
# with hosts not on HTTPS turns off the subdomains and preload.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a reverse proxy that ends TLS, it says so in X-Forwarded-Proto (and must overwrite any
# such header from the client); the site then redirects plain HTTP to HTTPS itself.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # Secure, for this host only and the whole site: a subdomain cannot set or shadow them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# The cache: each process's own memory, or Redis when REDIS_URL is set (redis://host:6379/0).
# The rate limits count in it: a site served by several processes or servers needs Redis,
# or each process counts on its own.
# A Redis server that does not answer within REDIS_TIMEOUT seconds counts as down: the pages
# are then rendered afresh (publishing/cache.py) rather than left waiting for it, and the cache
# is left alone for CACHE_RETRY_SECONDS before it is tried again (publishing/sharedcache.py).
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))
if os.environ.get("REDIS_URL"):
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "1"))
    CACHES = {
        "default": {
            "BACKEND": "publishing.sharedcache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    # Each process's own memory: room for the pages, cards and counts in use (Django's default is 300).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "5000"))},
        }
    }

# Rate limits per client address (ratelimits/middleware.py), each a "count/period" (period s,
# m, h or d, as in 60/m); an empty rate lifts a group's limit, RATELIMIT_ENABLE=false all of them.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_RATES = {
    "search": os.environ.get("RATELIMIT_SEARCH", "60/m"),
    "exports": os.environ.get("RATELIMIT_EXPORTS", "30/m"),
    "calendars": os.environ.get("RATELIMIT_CALENDARS", "30/m"),
    "feeds": os.environ.get("RATELIMIT_FEEDS", "60/m"),
    "api": os.environ.get("RATELIMIT_API", "120/m"),
    # The costly pages (the timeline, the lists, the events' calendar), counted only when rendered afresh.
    "pages": os.environ.get("RATELIMIT_PAGES", "60/m"),
    # Requests for an email alert or its management link, per client; and mails asked for, per address.
    "alerts": os.environ.get("RATELIMIT_ALERTS", "10/h"),
}

# Mail (the email alerts) through the SMTP server of the EMAIL_* variables, as Django's MAILERS
# (which replace its EMAIL_* settings); with DEBUG and no EMAIL_HOST, written to the console.
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": float(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WCO Integrity Catalogue <alerts@localhost>")
RATELIMIT_USE_CACHE = "default"
# A cache that does not answer lets the requests through rather than refusing them all.
RATELIMIT_FAIL_OPEN = True

# A read replica of the database for the public's pages (publishing/replica.py), parsed as
# DATABASE_URL is. In tests it is the test database itself, not a second one.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_config(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["publishing.replica.ReplicaRouter"]

# The log goes to standard output, one line per record: a JSON object, or plain text with
# LOG_FORMAT=text (the default with DEBUG). Each line carries the id of its request, and each
# request has a line of its own (wcointegrity/logs.py); no address, cookie or query string.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("Set LOG_FORMAT to json or text.")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "wcointegrity.logs.RequestIdFilter"},
        "answered_outage": {"()": "wcointegrity.outage.AnsweredOutageFilter"},
    },
    "formatters": {
        "json": {"()": "wcointegrity.logs.JsonFormatter"},
        "text": {"()": "wcointegrity.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Through the console handler alone, rather than Django's default handlers as well.
        "django": {"handlers": [], "level": LOG_LEVEL},
        # A database outage is logged once per request, as a warning (wcointegrity/outage.py).
        "django.request": {"filters": ["answered_outage"]},
        "axes": {"level": "WARNING"},
    },
}

# The read-only JSON API (api/): anonymous, GET and HEAD only, JSON only. No authentication
# class, so that a staff member's session gives no more than the public sees.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CataloguePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# The licence under which the catalogue's data may be reused: the footer, the JSON-LD, the exports and the API name it.
DATA_LICENCE_URL = os.environ.get("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
DATA_LICENCE_NAME = os.environ.get("DATA_LICENCE_NAME", "Creative Commons Attribution 4.0 International (CC BY 4.0)")

SPECTACULAR_SETTINGS = {
    "TITLE": "WCO Integrity Catalogue API",
    "LICENSE": {"name": DATA_LICENCE_NAME, "url": DATA_LICENCE_URL},
    "DESCRIPTION": (
        "Read-only access to the published events, instruments, bodies, topics and UNCAC articles of the "
        "catalogue, with the filters of the public lists."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.empty_query_values_are_allowed",
    ],
    # Two models have a `kind` and two fields a body's role: give each set of choices its own name.
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "bodies.models.BodyKind",
        "InstrumentKindEnum": "instruments.models.InstrumentKind",
        "RoleEnum": "events.models.Role",
    },
}

# What the public sees is cached in this cache, keyed on the catalogue's version
# (publishing/cache.py), for at most this many seconds.
CATALOGUE_CACHE = "default"
CATALOGUE_CACHE_TIMEOUT = int(os.environ.get("CATALOGUE_CACHE_TIMEOUT", "86400"))
# On PostgreSQL, each process keeps the version in memory while it listens for its changes
# (publishing/notifications.py); false reads it once a request.
CATALOGUE_VERSION_NOTIFICATIONS = env_bool("CATALOGUE_VERSION_NOTIFICATIONS", True)
# Seconds a version kept in memory is used at most before it is read again, even if a
# notification was lost: the longest a change may take to be seen; 0 keeps nothing.
CATALOGUE_VERSION_MAX_AGE = int(os.environ.get("CATALOGUE_VERSION_MAX_AGE", "5"))
# A measuring tool for `make bench`: the cache layers named here (docs/caching.md: "card",
# "response", "version-memory", ...) compute afresh every time. Empty in production.
CACHE_LAYERS_OFF = frozenset(env_list("CACHE_LAYERS_OFF"))

# The reference views of `make bench` (pages/benchmark.py), at /bench/, and a count of
# each response's queries.
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS")
if BENCHMARK_VIEWS:
    MIDDLEWARE.insert(0, "pages.benchmark.QueryCountMiddleware")
