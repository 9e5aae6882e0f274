"""Dravo's single settings module.

Every value comes from the environment (or DRAVO_DATA_DIR/dravo.env, which `make run`
writes), with a default that runs on a bare machine: SQLite for the data and a SQLite file
as the Celery broker, both under DRAVO_DATA_DIR. Secrets have defaults only in dev mode
(DRAVO_DEBUG on), where they are generated once and kept in DRAVO_DATA_DIR.
"""

import json
import os
import secrets
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from dravo import embedded_broker
from providers.registry import NETWORKS

BASE_DIR = Path(__file__).resolve().parent.parent


# Values recorded in DRAVO_DATA_DIR/dravo.env (see below); the environment wins over them.
_FILE_ENV: dict[str, str] = {}


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value is not None else _FILE_ENV.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _env(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = _env(name)
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines (blank lines and `#` comments skipped); {} if there is no file."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


DATA_DIR = Path(os.environ.get("DRAVO_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# `make run` records its settings (DRAVO_DEBUG=1, DRAVO_BASE_URL) in this file, so that any
# command run later on the same data dir (manage.py, celery, a plain shell) sees the same
# Dravo. A production data dir has no such file, and a variable set in the environment
# (docker-compose sets DRAVO_DEBUG=0) always wins over it.
ENV_FILE = DATA_DIR / "dravo.env"
_FILE_ENV.update(read_env_file(ENV_FILE))

DEBUG = env_bool("DRAVO_DEBUG", False)


def _dev_secrets() -> dict:
    """Secrets generated once per data dir, so dev restarts keep sessions and tokens."""
    path = DATA_DIR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "DRAVO_SECRET_KEY": secrets.token_urlsafe(50),
        "DRAVO_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def _secret(name: str) -> str:
    value = env_str(name)
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is not set. It is required when DRAVO_DEBUG is off (production mode); set it in the environment."
        )
    return _dev_secrets()[name]


SECRET_KEY = _secret("DRAVO_SECRET_KEY")
ENCRYPTION_KEYS = [key.strip() for key in _secret("DRAVO_ENCRYPTION_KEYS").split(",") if key.strip()]
try:
    for _key in ENCRYPTION_KEYS:
        Fernet(_key)
except ValueError as exc:
    raise ImproperlyConfigured(f"DRAVO_ENCRYPTION_KEYS holds an invalid Fernet key: {exc}") from exc

PORT = env_int("PORT", 8000)
BASE_URL = env_str("DRAVO_BASE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
ALLOWED_HOSTS = env_list("DRAVO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DRAVO_CSRF_TRUSTED_ORIGINS", BASE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_celery_beat",
    "social_django",
    "accounts",
    "publishing",
    "analytics",
    "providers",
    "sandbox",
    "webhooks",
]

MIDDLEWARE = [
    "dravo.errors.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dravo.timezones.TimeZoneMiddleware",
]

ROOT_URLCONF = "dravo.urls"
WSGI_APPLICATION = "dravo.wsgi.application"

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
                "webhooks.context_processors.webhook_warnings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'dravo.sqlite3'}"),
        conn_max_age=env_int("DRAVO_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real Celery worker started by the tests shares it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    # WAL and a busy timeout let web, worker and beat share one SQLite file in dev.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("DRAVO_CACHE_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "dravo.cache.SharedClientRedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Connect flows only: their pipeline stores accounts and never logs anyone in.
    *(network.oauth_backend for network in NETWORKS.values() if network.has_oauth),
]
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_PIPELINE = ("accounts.pipeline.store_grants",)
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_RAISE_EXCEPTIONS = True
LOGIN_URL = "/admin/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# --- API -----------------------------------------------------------------------------
# Request budgets (accounts/throttling.py): exact counters in Redis when DRAVO_CACHE_URL
# is set, else in the database, so every process shares them. Rates are "N/period".
THROTTLE_RATE = env_str("DRAVO_THROTTLE_RATE", "1200/min")
LOGIN_RATE_PER_USERNAME = env_str("DRAVO_LOGIN_RATE_PER_USERNAME", "10/min")
LOGIN_RATE_PER_IP = env_str("DRAVO_LOGIN_RATE_PER_IP", "30/min")
# Trusted reverse proxies in front of Dravo; 0 means the client's address is REMOTE_ADDR.
NUM_PROXIES = env_int("DRAVO_NUM_PROXIES", 0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "accounts.authentication.WorkspaceJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.authentication.HasWorkspace"],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.ApiKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["dravo.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["dravo.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": "dravo.metadata.ApiMetadata",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "dravo.metadata.ApiContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "dravo.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "EXCEPTION_HANDLER_CLASS": "dravo.exception_handler.ApiExceptionHandler",
}
# The largest JSON (or form) body read into memory; over it, a 413. Files uploaded to
# POST /v1/media stream to disk and have their own caps (MEDIA_MAX_BYTES below).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DRAVO_MAX_BODY_BYTES", 2_621_440)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Dravo API",
    "DESCRIPTION": "One API for every social network.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Offline docs (see dravo/docs.py): no web fonts, no online validator.
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
                "code": {"fontFamily": "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace"},
            }
        }
    },
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": "/v1",
    # Request and response shapes as separate components: a request field that may not be
    # blank is documented with minLength 1, and read-only fields are required in answers.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PostStatusEnum": "publishing.models.Post.Status",
        "DeliveryStatusEnum": "publishing.models.Delivery.Status",
        "AccountHealthEnum": "accounts.models.SocialAccount.Health",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# --- Celery --------------------------------------------------------------------------
# The embedded default is a SQLite file under DRAVO_DATA_DIR through kombu's SQLAlchemy
# transport: safe with several processes (each fetch is one BEGIN IMMEDIATE transaction, so
# a message goes to one consumer), nothing written into the checkout. Production uses Redis.
BROKER_DB = DATA_DIR / "broker.sqlite3"
# It keeps delivered messages (marked invisible); Beat's broker-prune deletes those older
# than this.
BROKER_PRUNE_AFTER_SECONDS = env_int("DRAVO_BROKER_PRUNE_AFTER_SECONDS", 3600)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", f"sqla+sqlite:///{BROKER_DB}")
if CELERY_BROKER_URL.startswith(("sqla+", "sqlalchemy+")):
    if CELERY_BROKER_URL.startswith(("sqla+sqlite:", "sqlalchemy+sqlite:")):
        _broker_file = CELERY_BROKER_URL.split(":///", 1)[1]
        if _broker_file and _broker_file != ":memory:":
            # WAL (kept by the file once set): readers never block writers, and every
            # write (a publish, a fetch) is one short transaction.
            with closing(sqlite3.connect(_broker_file, timeout=30)) as _db:
                _db.execute("PRAGMA journal_mode=WAL")
    CELERY_BROKER_TRANSPORT_OPTIONS = embedded_broker.TRANSPORT_OPTIONS
    # Without fanout the transport carries no remote control (nor mingle and gossip, which
    # Celery turns off by itself on it); the worker would only poll one more queue.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Longer than the longest delivery, so a late-acked message is not redelivered
    # while its worker is still at it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("DRAVO_VISIBILITY_TIMEOUT", 3600),
        # A worker takes from its queues in the order of its -Q list, not in turn: the
        # scheduler's ticks and the events' sends (small, and bounded by what happens)
        # first, then deliveries (`-Q scheduler,webhooks,celery`).
        "queue_order_strategy": "priority",
    }
CELERY_TASK_DEFAULT_QUEUE = env_str("DRAVO_CELERY_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("DRAVO_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("DRAVO_TASK_TIME_LIMIT", 660)
CELERY_TASK_ALWAYS_EAGER = env_bool("DRAVO_TASKS_EAGER", False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Providers and sandbox -----------------------------------------------------------
SANDBOX_ENABLED = env_bool("DRAVO_SANDBOX", DEBUG)
HTTP_CONNECT_TIMEOUT = env_float("DRAVO_HTTP_CONNECT_TIMEOUT", 5.0)
HTTP_READ_TIMEOUT = env_float("DRAVO_HTTP_READ_TIMEOUT", 30.0)
MAX_ATTEMPTS = env_int("DRAVO_MAX_ATTEMPTS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Beat's housekeeping ticks (one a second) are not logged at INFO, so what `make run`
    # prints stays readable; see dravo.celery.QuietTicks.
    "filters": {"quiet_ticks": {"()": "dravo.celery.QuietTicks"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        name: {"filters": ["quiet_ticks"]} for name in ("celery.beat", "celery.worker.strategy", "celery.app.trace")
    },
    "root": {"handlers": ["console"], "level": env_str("DRAVO_LOG_LEVEL", "INFO")},
}
PROVIDER_POLL_INTERVAL = env_float("DRAVO_POLL_INTERVAL", 2.0)
PROVIDER_POLL_TIMEOUT = env_float("DRAVO_POLL_TIMEOUT", 300.0)

# Every host of every network, and its API version, so that any compatible server (the
# sandbox, a recording proxy, a newer version) can stand in without a code change:
# DRAVO_<NETWORK>_<HOST> (e.g. DRAVO_X_API_URL), defaults in the network's descriptor.
PROVIDER_ENDPOINTS = {key: network.endpoints(env_str) for key, network in NETWORKS.items()}
# Where test-mode accounts' clients find the sandbox (this Dravo, by default).
SANDBOX_URL = env_str("DRAVO_SANDBOX_URL", BASE_URL).rstrip("/")

# Each network's OAuth app (client id and secret), used for the connect flow and refresh.
PROVIDER_APPS = {
    name: {
        "client_id": env_str(f"DRAVO_{name.upper()}_CLIENT_ID"),
        "client_secret": env_str(f"DRAVO_{name.upper()}_CLIENT_SECRET"),
    }
    for name in PROVIDER_ENDPOINTS
}
# The sandbox's OAuth app. It spends no network's quota, so a client that counts its
# app's daily quota itself does not count the sandbox's calls (`counts_quota`); a quota
# the sandbox says is used up (its out-of-quota accounts) is still honoured.
SANDBOX_APP = {"client_id": "dravo-sandbox", "client_secret": "dravo-sandbox-secret", "counts_quota": False}
# Builds a test-mode account's HTTP session (the sandbox's headers on every call).
SANDBOX_SESSION = "sandbox.session.session_for"

# Delivery: a worker's lease on a delivery (longer than the longest delivery, polling
# included), the base of the exponential backoff, and when a due delivery whose task
# message never arrived is sent again.
DELIVERY_LEASE_SECONDS = env_int("DRAVO_DELIVERY_LEASE_SECONDS", 900)
# Recurring posts: how far ahead each occurrence is made as a scheduled post of its own.
SERIES_HORIZON_DAYS = env_int("DRAVO_SERIES_HORIZON_DAYS", 14)
RETRY_BASE_SECONDS = env_float("DRAVO_RETRY_BASE_SECONDS", 10.0)
REDISPATCH_SECONDS = env_int("DRAVO_REDISPATCH_SECONDS", 120)
# A new post's fan-out message waits this long in its web process for the posts made
# after it, and they go as one message (0: one message per post, sent at commit).
FANOUT_LINGER_MS = env_int("DRAVO_FANOUT_LINGER_MS", 25)

# Beat's periodic work has its own queue, so a release tick never waits behind a backlog
# of deliveries (workers consume them all, in this order: `-Q scheduler,webhooks,celery`).
CELERY_TASK_ROUTES = {
    "publishing.tasks.dispatch_due_task": {"queue": "scheduler"},
    "publishing.tasks.release_due_task": {"queue": "scheduler"},
    "publishing.tasks.recover_stuck_task": {"queue": "scheduler"},
    "publishing.tasks.extend_series_task": {"queue": "scheduler"},
    "publishing.tasks.prune_idempotency_keys_task": {"queue": "scheduler"},
    "accounts.tasks.prune_throttle_counters_task": {"queue": "scheduler"},
    "accounts.tasks.refresh_due_tokens_task": {"queue": "scheduler"},
    "accounts.tasks.warn_expiring_tokens_task": {"queue": "scheduler"},
    "webhooks.tasks.webhook_dispatch_due_task": {"queue": "scheduler"},
    "analytics.tasks.refresh_stale_metrics_task": {"queue": "scheduler"},
    "dravo.celery.prune_broker_task": {"queue": "scheduler"},
}
CELERY_BEAT_SCHEDULE = {
    "publishing-dispatch-due": {
        "task": "publishing.tasks.dispatch_due_task",
        "schedule": 1.0,
        "options": {"expires": 5},
    },
    "publishing-recover-stuck": {"task": "publishing.tasks.recover_stuck_task", "schedule": 30.0},
    "publishing-extend-series": {"task": "publishing.tasks.extend_series_task", "schedule": 3600.0},
    "publishing-prune-idempotency-keys": {"task": "publishing.tasks.prune_idempotency_keys_task", "schedule": 3600.0},
    "accounts-refresh-tokens": {"task": "accounts.tasks.refresh_due_tokens_task", "schedule": 300.0},
    "accounts-prune-throttle-counters": {"task": "accounts.tasks.prune_throttle_counters_task", "schedule": 3600.0},
    "accounts-warn-expiring-tokens": {"task": "accounts.tasks.warn_expiring_tokens_task", "schedule": 3600.0},
    "webhooks-dispatch-due": {
        "task": "webhooks.tasks.webhook_dispatch_due_task",
        "schedule": 1.0,
        "options": {"expires": 5},
    },
}
if CELERY_BROKER_URL.startswith(("sqla+", "sqlalchemy+")):
    CELERY_BEAT_SCHEDULE["broker-prune"] = {"task": "dravo.celery.prune_broker_task", "schedule": 600.0}

# Analytics: how long a read may spend refreshing stale rows before answering from the
# cache, and how many rows per network one background sweep refreshes.
# Webhooks (webhooks/): attempts after the first, in seconds (5 s, 5 min, 30 min, 2 h,
# 5 h, 10 h, 10 h, each ±10%); an answer other than 2xx within WEBHOOK_TIMEOUT is a failure.
WEBHOOK_RETRY_SCHEDULE = [
    float(seconds) for seconds in env_list("DRAVO_WEBHOOK_RETRY_SCHEDULE", "5,300,1800,7200,18000,36000,36000")
]
# Events have their own queue, so a send never waits behind a burst of deliveries.
WEBHOOK_QUEUE = env_str("DRAVO_WEBHOOK_QUEUE", "webhooks")
WEBHOOK_TIMEOUT = env_float("DRAVO_WEBHOOK_TIMEOUT", 10.0)
WEBHOOK_CONNECT_TIMEOUT = env_float("DRAVO_WEBHOOK_CONNECT_TIMEOUT", 5.0)
WEBHOOK_DISABLE_AFTER_DAYS = env_int("DRAVO_WEBHOOK_DISABLE_AFTER_DAYS", 5)
WEBHOOK_SECRET_OVERLAP_HOURS = env_int("DRAVO_WEBHOOK_SECRET_OVERLAP_HOURS", 24)
WEBHOOK_REQUIRE_HTTPS = env_bool("DRAVO_WEBHOOK_REQUIRE_HTTPS", not DEBUG)
# Host names that skip the address and port rules (a local receiver in tests); empty by default.
WEBHOOK_ALLOWED_HOSTS = [h.lower() for h in env_list("DRAVO_WEBHOOK_ALLOWED_HOSTS")]
WEBHOOK_LEASE_SECONDS = env_int("DRAVO_WEBHOOK_LEASE_SECONDS", 60)
WEBHOOK_REDISPATCH_SECONDS = env_int("DRAVO_WEBHOOK_REDISPATCH_SECONDS", 30)
WEBHOOK_ENDPOINTS_CACHE_SECONDS = env_int("DRAVO_WEBHOOK_ENDPOINTS_CACHE_SECONDS", 5)
TOKEN_EXPIRING_WARNING_DAYS = 7
ANALYTICS_READ_BUDGET_SECONDS = env_float("DRAVO_ANALYTICS_READ_BUDGET_SECONDS", 5.0)
ANALYTICS_BATCH_PER_NETWORK = env_int("DRAVO_ANALYTICS_BATCH_PER_NETWORK", 50)
CELERY_BEAT_SCHEDULE["analytics-refresh-stale"] = {
    "task": "analytics.tasks.refresh_stale_metrics_task",
    "schedule": 60.0,
}
# Accounts' own numbers (followers, reach, engagement): a sweep every 15 minutes refreshes
# the accounts whose row of the day is missing or 6 hours old.
CELERY_BEAT_SCHEDULE["analytics-refresh-accounts"] = {
    "task": "analytics.tasks.refresh_account_metrics_due_task",
    "schedule": 900.0,
}

# --- Dashboard -----------------------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "dravo" / "static"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Media (POST /v1/media, served at {DRAVO_BASE_URL}/media/…) ----------------------
# Size caps per kind, enforced while a file streams in; defaults fit the largest network
# limit that matters (20 MB photos, 512 MB videos, 100 MB documents: see each network's
# limits table, `LIMITS` in providers/<network>/rules.py).
MEDIA_MAX_BYTES = {
    "image": env_int("DRAVO_MEDIA_MAX_IMAGE_BYTES", 20 * 1024 * 1024),
    "video": env_int("DRAVO_MEDIA_MAX_VIDEO_BYTES", 512 * 1024 * 1024),
    "document": env_int("DRAVO_MEDIA_MAX_DOCUMENT_BYTES", 100 * 1024 * 1024),
}
# Hosts whose private addresses and non-default ports may be fetched: for tests only.
MEDIA_ALLOWED_HOSTS = [host.lower() for host in env_list("DRAVO_MEDIA_ALLOWED_HOSTS")]
MEDIA_FETCH_CONNECT_TIMEOUT = env_float("DRAVO_MEDIA_FETCH_CONNECT_TIMEOUT", 5.0)
MEDIA_FETCH_READ_TIMEOUT = env_float("DRAVO_MEDIA_FETCH_READ_TIMEOUT", 20.0)
MEDIA_FETCH_TOTAL_TIMEOUT = env_float("DRAVO_MEDIA_FETCH_TOTAL_TIMEOUT", 300.0)
MEDIA_FETCH_MAX_REDIRECTS = env_int("DRAVO_MEDIA_FETCH_MAX_REDIRECTS", 3)
# Files go through Django's storage API: S3-compatible object storage when a bucket is
# set (django-storages; the bucket can stay private, Dravo serves the files), else the
# local filesystem under DRAVO_DATA_DIR/media.
S3_BUCKET = env_str("DRAVO_S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("DRAVO_S3_ENDPOINT_URL") or None,
            "region_name": env_str("DRAVO_S3_REGION") or None,
            "access_key": env_str("DRAVO_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("DRAVO_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("DRAVO_S3_PREFIX", "media"),
            "default_acl": None,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }

# How long a connected account's listing of destinations (boards, playlists, locations,
# categories) is served from Dravo's copy before the network is asked again.
DESTINATIONS_TTL = env_int("DRAVO_DESTINATIONS_TTL", 3600)
