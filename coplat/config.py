"""Settings, read from the environment with safe defaults for a local run."""

import os
import secrets
from pathlib import Path

DEV_SECRET_MARKER = "dev-only-"

# Where `coplat run` serves unless told otherwise.
LOCAL_HOST = "127.0.0.1"
LOCAL_PORT = 5000
LOCAL_ADDRESS = f"http://{LOCAL_HOST}:{LOCAL_PORT}"


class ConfigError(RuntimeError):
    """The settings do not allow the platform to start safely."""


def instance_dir() -> Path:
    """Where the SQLite database and uploads live: $COPLAT_INSTANCE or ./instance."""
    return Path(os.environ.get("COPLAT_INSTANCE", Path.cwd() / "instance")).resolve()


def local_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so a local run keeps its sessions
    across restarts and workers; production must set SECRET_KEY instead."""
    path = instance / "dev-secret-key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(DEV_SECRET_MARKER + secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def default_base_url() -> str:
    """The platform's public address for links built outside a request (`coplat
    export`, the demo's plan): $COPLAT_BASE_URL, else where `coplat run` serves."""
    return os.environ.get("COPLAT_BASE_URL") or LOCAL_ADDRESS


def database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance / 'coplat.db'}"
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(overrides: dict | None = None) -> dict:
    instance = instance_dir()
    production = os.environ.get("COPLAT_ENV", "development") == "production"
    secret = os.environ.get("SECRET_KEY", "")
    settings = {
        "PRODUCTION": production,
        "SECRET_KEY": secret or ("" if production else local_secret(instance)),
        "SQLALCHEMY_DATABASE_URI": database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "INSTANCE_PATH": str(instance),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(instance / "uploads")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "es",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("COPLAT_TIMEZONE", "America/Mexico_City"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        # How long a worker may answer visitors without cookies from its copy of a public
        # page (coplat/core/page_cache.py); 0 renders every request.
        "PAGE_CACHE_SECONDS": int(os.environ.get("COPLAT_PAGE_CACHE_SECONDS", "5")),
    }
    settings.update(overrides or {})
    key = settings["SECRET_KEY"]
    if settings["PRODUCTION"] and (len(key) < 32 or key.startswith(DEV_SECRET_MARKER)):
        raise ConfigError(
            "COPLAT_ENV=production needs a SECRET_KEY of at least 32 random characters, "
            "e.g. SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\""
        )
    return settings
