"""The demo exercise: its six steps, and adding an agenda item in place with htmx
or, without JavaScript, through a plain form post."""

import uuid

import pytest

pytestmark = pytest.mark.browser

STL_MEMBER = "stl.sociedad@demo.coplat.mx"


@pytest.mark.parametrize("locale, language", [("es-MX", "es"), ("en-US", "en")])
def test_exercise_home_lists_six_steps_five_closed(new_context, translate, locale, language):
    page = new_context(locale=locale).new_page()
    page.goto("/e/demo")
    steps = page.locator("ol.steps > li")
    assert steps.count() == 6
    closed = translate(language, "Closed")
    for number in range(1, 7):
        step = steps.nth(number - 1)
        assert step.locator("h3").inner_text().startswith(f"{number}. ")
        status = step.locator(".badge").inner_text()
        # The demo's plan is launched: steps 1–5 are closed, implementation (6) goes on.
        if number <= 5:
            assert status == closed, f"step {number}"
        else:
            assert status != closed, f"step {number}"
            assert status in {
                translate(language, "In progress"),
                translate(language, "Not started"),
            }


def open_agenda_form(page):
    agenda = page.locator("#agenda")
    agenda.locator("details > summary").click()
    form = agenda.locator("details form")
    assert form.is_visible()
    return form


def fill_agenda_item(form, title, starts_on):
    form.locator("#agenda-title-es").fill(title)
    form.locator("#agenda-starts_on").fill(starts_on)


def test_agenda_item_added_in_place_with_htmx(page, sign_in, translate):
    sign_in(page, STL_MEMBER)
    page.goto("/e/demo/steps/3")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__samePage = 'still here'; }")

    # An invalid item: the error is swapped in place (422) and nothing reloads.
    form = open_agenda_form(page)
    form.locator("#agenda-starts_on").fill("2027-02-15")
    with page.expect_response(lambda r: r.url.endswith("/e/demo/stl/agenda")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"
    error = page.locator("#agenda-title-es-error")
    error.wait_for()
    assert error.inner_text() == translate("es", "Write this in Spanish.")
    assert page.locator("#agenda-starts_on").input_value() == "2027-02-15"

    title = f"Taller de seguimiento {uuid.uuid4().hex[:6]}"
    form = page.locator("#agenda details form")
    fill_agenda_item(form, title, "2027-02-15")
    with page.expect_response(lambda r: r.url.endswith("/e/demo/stl/agenda")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 200
    item = page.locator("#agenda ol > li", has_text=title)
    item.wait_for()
    assert item.count() == 1
    assert page.evaluate("() => window.__samePage") == "still here"
    assert page.locator("#agenda-title-es-error").count() == 0


def test_agenda_item_added_without_javascript(new_context, sign_in):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, STL_MEMBER)
    page.goto("/e/demo/steps/3")
    form = open_agenda_form(page)
    title = f"Sesión sin JavaScript {uuid.uuid4().hex[:6]}"
    fill_agenda_item(form, title, "2027-02-20")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/e/demo/steps/3#agenda")
    assert page.locator("#agenda ol > li", has_text=title).count() == 1
