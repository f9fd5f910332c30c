"""At a phone's width (360 CSS px) no page scrolls sideways."""

import pytest

pytestmark = pytest.mark.browser

WIDTH = 360
PAGES = ["/", "/e/demo", "/e/demo/steps/1", "/e/demo/steps/3", "/account/register"]


@pytest.fixture
def phone(new_context):
    return new_context(viewport={"width": WIDTH, "height": 740}).new_page()


def overflow(page) -> list[str]:
    """The elements that stick out past the right edge, for the failure message."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 10)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                 + ' right=' + Math.round(e.getBoundingClientRect().right))""",
        WIDTH,
    )


def assert_no_horizontal_scroll(page, path, open_details=False):
    page.goto(path)
    if open_details:
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{path}: scrollWidth {scroll_width}; {overflow(page)}"


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll(phone, path):
    assert_no_horizontal_scroll(phone, path)


def test_no_horizontal_scroll_with_forms_open(phone, sign_in):
    """Logged in as the facilitator: private columns, remove buttons and every form."""
    sign_in(phone, "facilitadora@demo.coplat.mx")
    for path in ["/", "/e/demo/steps/1", "/e/demo/steps/2", "/e/demo/steps/3", "/account/"]:
        assert_no_horizontal_scroll(phone, path, open_details=True)


def test_no_horizontal_scroll_on_administration_pages(phone, sign_in):
    sign_in(phone, "admin@demo.coplat.mx")
    for path in ["/exercises/new", "/e/demo/edit", "/e/demo/roles"]:
        assert_no_horizontal_scroll(phone, path, open_details=True)
