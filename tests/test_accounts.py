import sqlite3

import pytest
import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.extensions import db, limiter
from tests.conftest import PASSWORD, log_in

REGISTRATION = {
    "name": "Guadalupe Martínez",
    "email": "Lupita@Example.MX",
    "password": "una clave larga",
    "confirm": "una clave larga",
    "accept_privacy": "y",
}


def stored_user(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def test_register_logs_in_and_stores_a_hashed_password(app, client):
    response = client.post("/account/register", data=REGISTRATION)
    assert response.status_code == 303
    assert "Guadalupe Martínez" in client.get("/").get_data(as_text=True)
    user = stored_user(app, "lupita@example.mx")
    assert user.password_hash.startswith("pbkdf2:sha256:")  # scrypt outside the tests
    assert "una clave larga" not in user.password_hash
    assert user.privacy_accepted_at is not None


def test_email_is_unique_whatever_its_case(client, make_user):
    make_user(email="lupita@example.mx")
    response = client.post(
        "/account/register", data=REGISTRATION, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_registration_without_privacy_consent_keeps_what_was_typed(client):
    data = {**REGISTRATION, "accept_privacy": ""}
    response = client.post("/account/register", data=data, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "You must accept the privacy notice" in page
    assert 'value="Guadalupe Martínez"' in page
    assert 'value="Lupita@Example.MX"' in page


def test_short_password_and_mismatch_are_explained(client):
    data = {**REGISTRATION, "password": "corta", "confirm": "otra"}
    page = client.post("/account/register", data=data, headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Use at least 10 characters." in page
    assert "The two passwords do not match." in page


def test_login_with_any_email_case_and_logout(client, make_user):
    make_user(email="ana@example.mx", name="Ana Ruiz")
    log_in(client, "ANA@example.mx ")
    assert "Ana Ruiz" in client.get("/").get_data(as_text=True)
    assert client.post("/account/logout").status_code == 303
    assert "Ana Ruiz" not in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    make_user(email="ana@example.mx")
    response = client.post(
        "/account/login",
        data={"email": "ana@example.mx", "password": "not it"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "The email or the password is not correct." in response.get_data(as_text=True)


def test_login_attempts_are_rate_limited(app, client, make_user):
    make_user(email="ana@example.mx")
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        for _ in range(3):
            client.post("/account/login", data={"email": "ana@example.mx", "password": "x"})
        response = client.post(
            "/account/login",
            data={"email": "ana@example.mx", "password": PASSWORD},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)
        # Reading the page is never limited.
        assert client.get("/account/login").status_code == 200
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()


def test_login_returns_to_the_page_that_asked_but_never_off_site(client, make_user):
    make_user(email="ana@example.mx")
    data = {"email": "ana@example.mx", "password": PASSWORD}
    response = client.post("/account/login?next=/e/demo", data=data)
    assert response.headers["Location"].endswith("/e/demo")
    client.post("/account/logout")
    response = client.post("/account/login?next=//evil.example/", data=data)
    assert "evil.example" not in response.headers["Location"]


def test_account_page_needs_login(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_change_password(app, client, make_user):
    make_user(email="ana@example.mx", locale="en")
    log_in(client, "ana@example.mx")
    wrong = client.post(
        "/account/",
        data={
            "pw-current": "nope",
            "pw-password": "nueva clave 123",
            "pw-confirm": "nueva clave 123",
        },
        headers={"Accept-Language": "en"},
    )
    assert wrong.status_code == 422
    assert "The current password is not correct." in wrong.get_data(as_text=True)
    right = client.post(
        "/account/",
        data={
            "pw-current": PASSWORD,
            "pw-password": "nueva clave 123",
            "pw-confirm": "nueva clave 123",
        },
    )
    assert right.status_code == 303
    client.post("/account/logout")
    log_in(client, "ana@example.mx", "nueva clave 123")


def test_preferences_set_name_and_interface_language(app, client, make_user):
    make_user(email="ana@example.mx")
    log_in(client, "ana@example.mx")
    response = client.post("/account/", data={"prefs-name": "Ana María", "prefs-locale": "en"})
    assert response.status_code == 303
    page = client.get("/account/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Ana María" in page
    assert stored_user(app, "ana@example.mx").locale == "en"


def test_registered_users_are_sent_away_from_the_register_page(client, make_user):
    make_user(email="ana@example.mx")
    log_in(client, "ana@example.mx")
    assert client.get("/account/register").status_code == 302


def test_an_htmx_action_refused_for_a_visitor_sends_the_whole_page_to_login(htmx, exercise_id):
    """The login page must replace the page: swapped into a fragment it would nest a
    second header and form inside the card."""
    response = htmx.post(
        "/e/valle/steps/1/close", headers={"HX-Current-URL": "http://coplat.test/e/valle"}
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/account/login?next=/e/valle"


def test_logging_in_on_sqlite_does_not_queue_behind_a_writer(app, client, make_user):
    """A login only reads; on SQLite it must not wait for the single write lock that a
    vote in progress holds (coplat/core/database.py)."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's single write lock")
    make_user(email="ana@example.mx")
    writer = sqlite3.connect(url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # as a vote in progress does
    try:
        log_in(client, "ana@example.mx")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert client.get("/account/").status_code == 200
