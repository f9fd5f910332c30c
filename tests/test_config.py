import pytest

from coplat import create_app
from coplat.config import ConfigError, database_url, load_settings


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("COPLAT_INSTANCE", str(tmp_path))
    monkeypatch.setenv("COPLAT_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        load_settings()
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    settings = load_settings()
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_local_run_keeps_one_generated_key_across_restarts(monkeypatch, tmp_path):
    monkeypatch.setenv("COPLAT_INSTANCE", str(tmp_path))
    monkeypatch.delenv("COPLAT_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_settings()["SECRET_KEY"]
    assert len(first) > 32
    assert load_settings()["SECRET_KEY"] == first


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COPLAT_INSTANCE", str(tmp_path))
    monkeypatch.setenv("UPLOAD_FOLDER", str(tmp_path / "files"))
    monkeypatch.setenv("MAX_UPLOAD_MB", "3")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings["UPLOAD_FOLDER"] == str(tmp_path / "files")
    assert settings["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coplat.db'}"


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url_names_the_driver(monkeypatch, tmp_path, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url(tmp_path) == expected
