"""Settings for Sujarit. Every value comes from the environment (see the README's table).

The defaults make a development site on SQLite under ``var/``; a production deployment sets
``DEBUG=false``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``SUJARIT_HTTPS=true``,
and then ``sujarit check --deploy`` reports no issues.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url
import geothai

from sujarit.lib.crypto import DataKey, derived_development_key, parse_keys
from sujarit.lib.env import (
    EnvError,
    env_bool,
    env_int,
    env_list,
    env_parsed,
    env_str,
    s3_storage,
)

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("SUJARIT_VAR_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is not set: it is required unless DEBUG=true."
        )
    # A fixed key is acceptable only for a development site that nobody else can reach.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _province(value: str) -> str:
    code = value.strip()
    if len(code) != 2 or not code.isdigit() or geothai.province(code) is None:
        raise ValueError(code)
    return code


#: The province this site serves (DOPA code). Nothing in the code names a province itself.
SUJARIT_PROVINCE = env_parsed(
    "SUJARIT_PROVINCE",
    "24",
    _province,
    "the 2-digit DOPA code of one of Thailand's 77 provinces (e.g. 24 for Chachoengsao)",
)
#: Show numbers in Thai digits (๑๒๓) in Thai pages.
SUJARIT_THAI_DIGITS = env_bool("SUJARIT_THAI_DIGITS", False)
#: Failed logins in a row that lock an account, and for how long.
SUJARIT_LOGIN_MAX_FAILURES = env_int("SUJARIT_LOGIN_MAX_FAILURES", 5, minimum=1)
SUJARIT_LOGIN_LOCKOUT_MINUTES = env_int("SUJARIT_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
#: Failed logins from one network address (an IPv4 address or an IPv6 /64) within the lock-out
#: window that pause logins from that address, whatever usernames were tried.
SUJARIT_LOGIN_ADDRESS_MAX_FAILURES = env_int("SUJARIT_LOGIN_ADDRESS_MAX_FAILURES", 20, minimum=1)
#: Key of the receipt codes' keyed hashes. Empty: derived from SECRET_KEY (changing SECRET_KEY
#: then invalidates every receipt code citizens hold).
SUJARIT_RECEIPT_KEY = env_str("SUJARIT_RECEIPT_KEY", "")
#: Keys that encrypt complainant contacts and evidence at rest: ``name:base64url(32 bytes)``,
#: comma-separated, the current key first (older keys only decrypt, until ``rotate-keys`` has
#: moved everything to the current one). Required in production; a development site derives
#: one from SECRET_KEY. ``sujarit rotate-keys --new-key NAME`` prints a fresh key.
SUJARIT_DATA_KEYS: tuple[DataKey, ...] = env_parsed(
    "SUJARIT_DATA_KEYS",
    (),
    lambda value: parse_keys(value) if value.strip() else (),
    "name:base64key[,name:base64key...] with 32-byte keys",
    shown_default="derived from SECRET_KEY when DEBUG=true",
)
if not SUJARIT_DATA_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Environment variable SUJARIT_DATA_KEYS is not set: it is required unless DEBUG=true."
        )
    SUJARIT_DATA_KEYS = (derived_development_key(SECRET_KEY),)
#: Wrong receipt codes from one client (IPv4 address or IPv6 /64) that pause follow-up for it.
SUJARIT_RECEIPT_MAX_FAILURES = env_int("SUJARIT_RECEIPT_MAX_FAILURES", 10, minimum=1)
SUJARIT_RECEIPT_LOCKOUT_MINUTES = env_int("SUJARIT_RECEIPT_LOCKOUT_MINUTES", 30, minimum=1)
#: Seconds a process keeps reference data read on every report (routing rules, service levels,
#: agencies serving an area) before reading it again; 0 turns the cache off.
SUJARIT_REFERENCE_CACHE_SECONDS = env_int("SUJARIT_REFERENCE_CACHE_SECONDS", 60, minimum=0)
#: The site's public address (e.g. https://sujarit.example.go.th), for links in e-mails sent
#: by background tasks, which have no request to take it from. Empty: links are site paths.
SUJARIT_SITE_URL = env_str("SUJARIT_SITE_URL", "")
#: Evidence files: the largest file accepted, in bytes, and how many files one submission
#: (a report, a follow-up, a staff upload) may carry.
SUJARIT_EVIDENCE_MAX_BYTES = env_int("SUJARIT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
SUJARIT_EVIDENCE_MAX_FILES = env_int("SUJARIT_EVIDENCE_MAX_FILES", 5, minimum=1)
#: Case search: "tantivy" (an embedded index under SUJARIT_SEARCH_INDEX_DIR, kept in step on
#: commit; docs/search.md) or "database" (SQLite FTS5 / PostgreSQL full-text and trigram).
SUJARIT_SEARCH_BACKEND = env_str("SUJARIT_SEARCH_BACKEND", "tantivy")
if SUJARIT_SEARCH_BACKEND not in ("tantivy", "database"):
    raise ImproperlyConfigured("SUJARIT_SEARCH_BACKEND must be 'tantivy' or 'database'.")
#: Apply queued index changes right after each commit; a machine that does not hold the index
#: sets this to false (docs/search.md, "Past one machine").
SUJARIT_SEARCH_APPLY_ON_COMMIT = env_bool("SUJARIT_SEARCH_APPLY_ON_COMMIT", True)
#: Apply them in a background thread of the process, batched, so that a request does not wait
#: for the index; false applies them in the committing thread (the test suite does).
SUJARIT_SEARCH_APPLY_IN_BACKGROUND = env_bool("SUJARIT_SEARCH_APPLY_IN_BACKGROUND", True)
#: API reports are acknowledged with one sealed row and registered as cases by
#: ``sujarit register-reports`` (docs/cases-intake.md); false registers them in the request.
SUJARIT_INTAKE_INBOX = env_bool("SUJARIT_INTAKE_INBOX", True)
SUJARIT_SEARCH_INDEX_DIR = Path(
    env_str(
        "SUJARIT_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index"), shown_default="var/search-index"
    )
).resolve()

#: Days after a case is resolved during which the complainant may dispute the outcome.
SUJARIT_DISPUTE_DAYS = env_int("SUJARIT_DISPUTE_DAYS", 30, minimum=1)

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "sujarit.web",
    "sujarit.geo",
    "sujarit.agencies",
    "sujarit.accounts",
    "sujarit.audit",
    "sujarit.cases",
    "sujarit.evidence",
    "sujarit.textsearch",
    "sujarit.network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sujarit.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sujarit.web.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sujarit.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sujarit.urls"
WSGI_APPLICATION = "sujarit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sujarit.web.context_processors.site",
            ],
        },
    },
]


#: Seconds a database connection is kept for the next request (0 closes it after each one).
DB_CONN_MAX_AGE = env_int("SUJARIT_DB_CONN_MAX_AGE", 60, minimum=0)


def _database(value: str) -> dict[str, object]:
    config = dj_database_url.parse(value, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
    if not config.get("ENGINE"):
        raise ValueError(value)
    return dict(config)


_default_db = f"sqlite:///{VAR_DIR / 'sujarit.sqlite3'}"
try:
    DATABASES = {
        "default": env_parsed(
            "DATABASE_URL",
            _database(_default_db),
            _database,
            "a database URL such as postgres://user@127.0.0.1:5432/sujarit or sqlite:///path",
            shown_default="sqlite:///var/sujarit.sqlite3",
        )
    }
except dj_database_url.UnknownSchemeError as error:
    raise EnvError("DATABASE_URL", str(error), "a postgres:// or sqlite:// URL") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite keeps one writer at a time; waiting for the lock beats failing a citizen's submit.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Sujarit"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(
    env_str("SUJARIT_MEDIA_ROOT", str(VAR_DIR / "media"), shown_default="var/media")
).resolve()
STORAGES = {
    # Private files (evidence, signed documents) are never served as public URLs; MEDIA_URL is
    # deliberately unset so nothing can link to them directly.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Evidence uploads are read by sujarit.evidence.uploads (in memory, with their own limits).
# A request with far more files than a submission may carry is refused outright; one with a
# few too many reaches the form, which says how many are allowed.
DATA_UPLOAD_MAX_NUMBER_FILES = max(10, 2 * SUJARIT_EVIDENCE_MAX_FILES)
# Stored files (evidence, sealed) are readable by the site's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
#: Evidence files go to an S3-compatible bucket when one is named (credentials from the
#: standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, read by boto3), else to
#: MEDIA_ROOT. Either way they are sealed before they leave the process and never public.
SUJARIT_EVIDENCE_S3_BUCKET = env_str("SUJARIT_EVIDENCE_S3_BUCKET", "")
if SUJARIT_EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = s3_storage(
        bucket=SUJARIT_EVIDENCE_S3_BUCKET,
        endpoint_url=env_str("SUJARIT_EVIDENCE_S3_ENDPOINT_URL", ""),
        region=env_str("SUJARIT_EVIDENCE_S3_REGION", ""),
    )
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sujarit@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Behind HTTPS in production: secure cookies, HSTS and redirects. Off for a local site.
SUJARIT_HTTPS = env_bool("SUJARIT_HTTPS", False)
SECURE_SSL_REDIRECT = SUJARIT_HTTPS
SESSION_COOKIE_SECURE = SUJARIT_HTTPS
CSRF_COOKIE_SECURE = SUJARIT_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if SUJARIT_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SUJARIT_HTTPS
SECURE_HSTS_PRELOAD = SUJARIT_HTTPS
#: Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client address that the
#: proxy appended last to X-Forwarded-For (the lock-out counts failures per address).
SUJARIT_BEHIND_PROXY = env_bool("SUJARIT_BEHIND_PROXY", False)
if SUJARIT_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
