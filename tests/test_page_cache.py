"""The page cache: a visitor without cookies may get a public page as it was a few
seconds ago; anyone with a cookie, and any page holding a form token, is always fresh."""

import cachelib.simple
import pytest

from coplat.core.page_cache import PageCache
from coplat.exercises.models import Exercise
from coplat.extensions import db

SECONDS = 5


@pytest.fixture
def cached(app, monkeypatch):
    """The app behind the page cache, as production runs it, with a clock to move."""
    now = [1_000_000.0]
    monkeypatch.setattr(cachelib.simple, "time", lambda: now[0])
    monkeypatch.setattr(app, "wsgi_app", PageCache(app.wsgi_app, SECONDS))
    return now


def rename(app, exercise_id, name):
    with app.app_context():
        db.session.get(Exercise, exercise_id).name = {"es": name, "en": name}
        db.session.commit()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_visitor_without_cookies_gets_the_kept_copy_until_it_ages_out(app, cached, exercise_id):
    first = app.test_client().get("/e/valle")
    assert first.headers["X-Cache"] == "miss"
    rename(app, exercise_id, "Ejercicio renombrado")

    kept = app.test_client().get("/e/valle")
    assert kept.headers["X-Cache"] == "hit"
    assert text(kept) == text(first)
    assert "Ejercicio renombrado" not in text(kept)

    cached[0] += SECONDS + 1
    fresh = app.test_client().get("/e/valle")
    assert fresh.headers["X-Cache"] == "miss"
    assert "Ejercicio renombrado" in text(fresh)


def test_anyone_with_a_cookie_reads_the_record_as_it_is(app, cached, exercise_id, admin):
    app.test_client().get("/e/valle")
    rename(app, exercise_id, "Ejercicio renombrado")
    page = admin.get("/e/valle")
    assert "X-Cache" not in page.headers
    assert "Ejercicio renombrado" in text(page)

    # A visitor who chose a language carries the session cookie: fresh too.
    visitor = app.test_client()
    visitor.get("/language", query_string={"lang": "en"})
    assert "Ejercicio renombrado" in text(visitor.get("/e/valle"))


def test_the_copy_is_kept_per_language_and_per_htmx_fragment(app, cached, exercise_id):
    spanish = app.test_client().get("/e/valle", headers={"Accept-Language": "es-MX"})
    english = app.test_client().get("/e/valle", headers={"Accept-Language": "en-US,en"})
    assert '<html lang="es">' in text(spanish)
    assert '<html lang="en">' in text(english)
    assert english.headers["X-Cache"] == "miss"
    again = app.test_client().get("/e/valle", headers={"Accept-Language": "en-GB"})
    assert again.headers["X-Cache"] == "hit"
    assert '<html lang="en">' in text(again)

    log = "/e/valle/feedback"
    page = app.test_client().get(log)
    fragment = app.test_client().get(log, headers={"HX-Request": "true"})
    assert fragment.headers["X-Cache"] == "miss"
    assert text(fragment) != text(page)


def test_a_page_with_a_form_token_is_never_shared(app, cached, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    first = app.test_client().get("/account/login")
    second = app.test_client().get("/account/login")
    assert "X-Cache" not in second.headers
    assert "Set-Cookie" in second.headers
    assert 'name="csrf_token"' in text(second)
    assert text(first) != text(second)


def test_only_successful_pages_are_kept(app, cached, make_exercise):
    assert app.test_client().get("/e/nuevo").status_code == 404
    make_exercise(slug="nuevo")
    assert app.test_client().get("/e/nuevo").status_code == 200
    health = app.test_client().get("/healthz")
    assert health.status_code == 200
    assert "X-Cache" not in app.test_client().get("/healthz").headers


def test_a_phone_that_has_the_page_gets_a_304_without_the_body(app, cached, exercise_id):
    first = app.test_client().get("/e/valle")
    etag = first.headers["ETag"]
    answer = app.test_client().get("/e/valle", headers={"If-None-Match": etag})
    assert answer.status_code == 304
    assert answer.get_data() == b""
    changed = app.test_client().get("/e/valle", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200
    assert text(changed) == text(first)


def test_the_language_switch_is_a_form_without_a_token_for_visitors(client, exercise_id):
    page = text(client.get("/e/valle"))
    switch = page[page.index('class="language-switch"') - 80 :]
    switch = switch[: switch.index("</form>")]
    assert 'method="get"' in switch
    assert "csrf_token" not in switch
    assert "X-CSRFToken" not in page
