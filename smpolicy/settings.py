"""Settings, read from environment variables only (README lists them).

Unset ``DATABASE_URL`` means an SQLite file under ``var/``; unset ``REDIS_URL`` means jobs run
synchronously in-process. Both are the embedded default for a one-command demo; production and CI
set both. A malformed value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from smpolicy.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(DEBUG=true allows a dev default)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is shorter than 32 characters; use a long random string."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # No autodiscovery: only what accounts.admin_site and the apps' admin.py register is shown.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_rq",
    "axes",
    "csp",
    "accounts",
    "rules",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "smpolicy.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "smpolicy.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smpolicy.middleware.SignedInPagesNotStoredMiddleware",
    "accounts.middleware.IdleSignOutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequestIdMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smpolicy.urls"
WSGI_APPLICATION = "smpolicy.wsgi.application"

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
                "accounts.context_processors.roles",
                "moderation.context_processors.console",
                "moderation.context_processors.spike_alerts",
                "moderation.tokens.token_warnings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))


def sqlite_database(url_or_path: str) -> dict[str, Any]:
    """SQLite (the demo) serialises writers: wait rather than fail when demo jobs and web
    overlap. A transaction takes the write lock when it begins (IMMEDIATE), so a request that
    reads and then writes waits behind the busy timeout instead of failing at once with
    "database is locked" while the worker is writing."""
    config: dict[str, Any]
    if url_or_path.startswith("sqlite:"):
        config = dict(dj_database_url.parse(url_or_path, conn_max_age=60))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": url_or_path}
    config["OPTIONS"] = {
        **config.get("OPTIONS", {}),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    return config


if DATABASE_URL.startswith("sqlite:"):
    DATABASES = {"default": sqlite_database(DATABASE_URL)}
elif DATABASE_URL:
    DATABASES = {"default": dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))}
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {"default": sqlite_database(str(VAR_DIR / "smpolicy.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and job queues --------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
# Tests run jobs synchronously through the real Redis-backed queues (RQ_ASYNC=false).
RQ_ASYNC = env_bool("RQ_ASYNC", default=True)
QUEUE_NAMES = ("default", "ingest", "actions")
# Redis going away must not stop the console: the cache answers as empty while it is down
# (smpolicy/cache.py), an enqueue that fails after a commit is logged and the scheduler finds the
# work again (smpolicy/queue.py), and a connection that hangs gives up after a few seconds.
REDIS_CONNECT_TIMEOUT_SECONDS = 3
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "smpolicy.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
            },
        }
    }
    # Only the connect timeout on the queues: workers block on Redis for longer than any read
    # timeout would allow.
    _QUEUE_URL = (
        f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}"
        f"socket_connect_timeout={REDIS_CONNECT_TIMEOUT_SECONDS}"
    )
    RQ_QUEUES = {
        name: {"URL": _QUEUE_URL, "DEFAULT_TIMEOUT": 600, "ASYNC": RQ_ASYNC} for name in QUEUE_NAMES
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-rq needs a configuration to import; with no Redis the queue wrapper never uses it.
    RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:6379/0", "ASYNC": False} for name in QUEUE_NAMES}

# --- Accounts, sign-in, sessions -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "moderation:queue"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after this much inactivity. Only the person's own requests push the expiry
# forward (accounts.middleware.IdleSignOutMiddleware): background polls save nothing.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Failures from one client address, over any usernames, after which that address (only) is
# refused for LOGIN_LOCKOUT_MINUTES: one password tried on every username (spraying).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)

# Reverse proxies whose X-Forwarded-For (client address) and X-Request-ID are believed
# (accounts.client): addresses or networks, comma-separated. Empty: believe nobody's.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES has {_proxy!r}, which is not an IP address or network."
        ) from None

# Sign-in throttling by django-axes: a username is locked at one client address after
# LOGIN_FAILURE_LIMIT failures (never a whole address, never an account everywhere), counted in
# the database so that it works without Redis. Failures are also audited (accounts.views.sign_in).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.sign_in.locked_out"
# Successful sign-ins are in the audit log already; axes need not keep its own access log.
AXES_DISABLE_ACCESS_LOG = True
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "smpolicy")

# Channel credentials are encrypted at rest with this key (Fernet, urlsafe base64 of 32 bytes).
CREDENTIALS_KEY = env_str("CREDENTIALS_KEY")
if not CREDENTIALS_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "CREDENTIALS_KEY is not set. Generate one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        )
    CREDENTIALS_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(SECRET_KEY.encode()).digest()
    ).decode()
else:
    try:
        if len(base64.urlsafe_b64decode(CREDENTIALS_KEY.encode())) != 32:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "CREDENTIALS_KEY is not a Fernet key (urlsafe base64 of 32 bytes)."
        ) from None

# The audit chain's HMAC key (accounts.audit_chain): never stored in the database, so that
# someone with SQL access alone cannot rewrite an event and recompute the hashes after it.
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY")
if not AUDIT_HMAC_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "AUDIT_HMAC_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'` and keep it out of "
            "the database (DEBUG=true allows a dev default)."
        )
    AUDIT_HMAC_KEY = hashlib.sha256(b"audit:" + SECRET_KEY.encode()).hexdigest()
elif len(AUDIT_HMAC_KEY) < 32:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY is shorter than 32 characters; use a random one.")
# Earlier keys, comma-separated, so events written before a key rotation still verify.
AUDIT_HMAC_OLD_KEYS = env_list("AUDIT_HMAC_OLD_KEYS", [])
# A signed checkpoint of the chain's head every this many events, and from the scheduler.
AUDIT_CHECKPOINT_EVERY = env_int("AUDIT_CHECKPOINT_EVERY", 500, minimum=1)
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 5, minimum=1)

# --- Email -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "smpolicy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
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

# --- Production hardening (`manage.py check --deploy` runs clean with DEBUG off) -----------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe /healthz over plain HTTP inside the network; it says nothing sensitive.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' HSTS preload list is a domain-wide decision that is hard to undo (it
# covers every subdomain of, say, a council's gov.uk domain), so it is the operator's choice;
# until they make it, check --deploy's reminder (security.W021) is acknowledged here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from this site's own files: no inline script, no event-handler attributes, no
# eval (htmx's is switched off in base.html). style attributes stay allowed (templates and the
# Django admin use a few); style elements and sheets come from this site only. The QR code of
# the authenticator set-up is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO; its lockouts are WARNINGs, and audited anyway.
        "axes": {"level": "WARNING"},
    },
}

# --- Product settings ------------------------------------------------------------------------
# Where the demo's and tests' platform emulator listens; "" means the real platform URLs.
PLATFORM_BASE_URL = env_url("PLATFORM_BASE_URL", ("http", "https"))
CLAIM_MINUTES = env_int("CLAIM_MINUTES", 10, minimum=1)
# Platform API versions. Blank: the version each connector is written and tested for
# (moderation/connectors/graph.py DEFAULT_GRAPH_VERSION, linkedin.py DEFAULT_VERSION). Set them
# to move to a newer version without a release; LinkedIn refuses a version about a year after
# its release (HTTP 426), Meta serves each Graph version for about two years.
GRAPH_API_VERSION = env_str("GRAPH_API_VERSION")
if GRAPH_API_VERSION and not re.fullmatch(r"v\d{1,3}\.\d", GRAPH_API_VERSION):
    raise ImproperlyConfigured("GRAPH_API_VERSION looks like v25.0 (or leave it blank).")
LINKEDIN_API_VERSION = env_str("LINKEDIN_API_VERSION")
if LINKEDIN_API_VERSION and not re.fullmatch(r"20\d{4}(\.\d{2})?", LINKEDIN_API_VERSION):
    raise ImproperlyConfigured("LINKEDIN_API_VERSION looks like 202607 (or leave it blank).")

# --- Outside classifiers (moderation/classifiers/, docs/configuration.md) ---------------------
# Off unless named here ("perspective,openai,http"). Keys come from the environment only.
OUTSIDE_CLASSIFIERS = env_str("OUTSIDE_CLASSIFIERS")
OUTSIDE_CLASSIFIER_TIMEOUT = float(env_int("OUTSIDE_CLASSIFIER_TIMEOUT_SECONDS", 5, minimum=1))
OUTSIDE_CLASSIFIER_DAILY_BUDGET = env_int("OUTSIDE_CLASSIFIER_DAILY_BUDGET", 1000, minimum=0)
PERSPECTIVE_API_KEY = env_str("PERSPECTIVE_API_KEY")
PERSPECTIVE_URL = (
    env_url("PERSPECTIVE_URL", ("http", "https"))
    or "https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze"
)
OPENAI_API_KEY = env_str("OPENAI_API_KEY")
OPENAI_MODERATION_URL = (
    env_url("OPENAI_MODERATION_URL", ("http", "https")) or "https://api.openai.com/v1/moderations"
)
OPENAI_MODERATION_MODEL = env_str("OPENAI_MODERATION_MODEL", "omni-moderation-latest")
HTTP_CLASSIFIER_URL = env_url("HTTP_CLASSIFIER_URL", ("http", "https"))
HTTP_CLASSIFIER_TOKEN = env_str("HTTP_CLASSIFIER_TOKEN")

# --- Connecting channels in the browser (moderation/connecting.py) ---------------------------
# Where the platforms send the person back after they approve the console: exactly this URL
# must be registered in each platform's developer app. Unset: the callback's address on the host
# the admin is using, which is right for the demo but should be set in production.
OAUTH_REDIRECT_URL = env_url("OAUTH_REDIRECT_URL", ("https", "http"))
if OAUTH_REDIRECT_URL and not DEBUG and not OAUTH_REDIRECT_URL.startswith("https://"):
    raise ImproperlyConfigured("OAUTH_REDIRECT_URL must be an https:// address.")
# The deployment's app on each platform: <PREFIX>_CLIENT_ID and <PREFIX>_CLIENT_SECRET (Meta
# calls them App ID and App Secret, TikTok app_id and secret). Mastodon registers an app per
# instance by itself; Bluesky needs no app (see PUBLIC_URL).
# Facebook Login for Business: the login configuration (made in the app dashboard) whose
# permissions the dialog asks for; blank: the permissions are asked for by scope.
FACEBOOK_LOGIN_CONFIG_ID = env_str("FACEBOOK_LOGIN_CONFIG_ID")
# The console's own public address (e.g. https://moderation.example.gov.uk), where platforms that
# fetch documents from the console find them: Bluesky's OAuth client metadata is served at
# <PUBLIC_URL>/oauth/bluesky/client-metadata.json, which is also its client_id. Unset: Bluesky
# connects with an app password only.
PUBLIC_URL = env_url("PUBLIC_URL", ("https", "http")).rstrip("/")
if PUBLIC_URL and not DEBUG and not PUBLIC_URL.startswith("https://"):
    raise ImproperlyConfigured("PUBLIC_URL must be an https:// address.")
# The console's Bluesky OAuth signing key: a private ES256 (P-256) JWK with a "kid", as JSON
# (`manage.py bluesky_oauth_key` makes one). Set: the console is a confidential client, whose
# sessions last while it renews them; unset: a public client, whose sessions end after two weeks.
BLUESKY_OAUTH_KEY = env_str("BLUESKY_OAUTH_KEY")
OAUTH_CLIENTS = {
    prefix: (env_str(f"{prefix}_CLIENT_ID"), env_str(f"{prefix}_CLIENT_SECRET"))
    for prefix in ("FACEBOOK", "INSTAGRAM", "THREADS", "YOUTUBE", "X", "LINKEDIN", "TIKTOK")
}
