"""Spanish first; the browser's language on a first visit; a switch on every page,
remembered in the session and on the account."""

from tests.conftest import log_in


def html_lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_spanish_is_the_default(client):
    response = client.get("/")
    assert html_lang(response) == "es"
    assert "Iniciar sesión" in response.get_data(as_text=True)


def test_first_visit_follows_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert html_lang(response) == "en"
    assert "Log in" in response.get_data(as_text=True)


def test_unsupported_browser_language_falls_back_to_spanish(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "fr-FR"})) == "es"


def test_switch_changes_language_and_returns_to_the_page(client):
    response = client.get("/language", query_string={"lang": "en", "next": "/privacy"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/privacy")
    page = client.get("/privacy")
    assert html_lang(page) == "en"
    assert "Privacy notice" in page.get_data(as_text=True)
    # Remembered for the session, whatever the browser says.
    assert html_lang(client.get("/", headers={"Accept-Language": "es-MX"})) == "en"


def test_switch_refuses_an_unknown_language_and_an_outside_redirect(client):
    assert client.get("/language", query_string={"lang": "xx"}).status_code == 400
    response = client.get("/language", query_string={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] in ("/", "http://coplat.test/")


def test_choice_is_remembered_on_the_account(app, client, make_user):
    make_user(email="ana@example.mx", locale="es")
    log_in(client, "ana@example.mx")
    client.get("/language", query_string={"lang": "en"})
    client.post("/account/logout")
    other_device = app.test_client()
    log_in(other_device, "ana@example.mx")
    assert html_lang(other_device.get("/")) == "en"


def test_dates_are_formatted_for_the_locale(app, client, make_exercise):
    make_exercise()
    spanish = client.get("/e/valle").get_data(as_text=True)
    assert "4 sept 2027" in spanish or "4 sep 2027" in spanish
    client.get("/language", query_string={"lang": "en"})
    english = client.get("/e/valle").get_data(as_text=True)
    assert "Sep 4, 2027" in english


def test_select_options_follow_each_request_language(client, make_user, make_exercise):
    """Forms are built at import time; their option labels must still be translated
    for each request."""
    make_exercise()
    make_user(email="admin@example.mx", is_admin=True, locale="es")
    log_in(client, "admin@example.mx")
    spanish = client.get("/e/valle/roles").get_data(as_text=True)
    assert '<option value="stl_member">Integrante del STL</option>' in spanish
    client.get("/language", query_string={"lang": "en"})
    english = client.get("/e/valle/roles").get_data(as_text=True)
    assert '<option value="stl_member">STL member</option>' in english
    assert '<option value="civil_society">Civil society</option>' in english
