"""Registering and logging in through the real forms."""

import uuid

import pytest

pytestmark = pytest.mark.browser

FACILITATOR = ("facilitadora@demo.coplat.mx", "Mariana Ortega Ruiz")


def header(page):
    return page.locator("header nav.account-nav")


def fill_registration(page, name, email, password="una clave bastante larga", privacy=True):
    page.goto("/account/register")
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#confirm").fill(password)
    if privacy:
        page.locator("#accept_privacy").check()
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def test_register_logs_the_person_in(page, translate):
    name = "Itzel Navarro Cruz"
    email = f"itzel.{uuid.uuid4().hex[:8]}@example.mx"
    fill_registration(page, name, email)

    assert "/account/register" not in page.url
    assert header(page).get_by_role("link", name=name).is_visible()
    assert header(page).get_by_role("button", name=translate("es", "Log out")).is_visible()
    assert page.locator(".alert-success").inner_text() == translate(
        "es", "Welcome, %(name)s. Your account is ready.", name=name
    )


def test_failed_registration_explains_and_keeps_the_input(page, translate):
    name = "Ramiro Duarte"
    email = f"ramiro.{uuid.uuid4().hex[:8]}@example.mx"
    fill_registration(page, name, email, privacy=False)

    assert "/account/register" in page.url
    error = translate("es", "You must accept the privacy notice to register.")
    assert page.locator("#accept_privacy-error").inner_text() == error
    assert page.locator("#accept_privacy").get_attribute("aria-invalid") == "true"
    assert page.get_by_role("alert").inner_text() == translate(
        "es", "Please correct the fields marked below. Nothing you typed was lost."
    )
    assert page.locator("#name").input_value() == name
    assert page.locator("#email").input_value() == email
    # Still logged out.
    assert header(page).get_by_role("link", name=translate("es", "Log in")).is_visible()


def test_demo_account_logs_in(page, sign_in, translate):
    email, name = FACILITATOR
    sign_in(page, email)
    assert "/account/login" not in page.url
    assert header(page).get_by_role("link", name=name).is_visible()


def test_wrong_password_is_refused(page, sign_in, translate):
    email, name = FACILITATOR
    sign_in(page, email, "not-the-password")
    assert "/account/login" in page.url
    assert page.locator("#password-error").inner_text() == translate(
        "es", "The email or the password is not correct."
    )
    assert page.locator("#email").input_value() == email
    assert header(page).get_by_role("link", name=name).count() == 0
    assert header(page).get_by_role("link", name=translate("es", "Log in")).is_visible()
