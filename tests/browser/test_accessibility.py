"""axe-core finds no serious or critical accessibility violation on the main pages,
logged out and logged in, with every <details> opened so its forms are checked too."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
PUBLIC_PAGES = [
    "/",
    "/e/demo",
    "/e/demo/steps/1",
    "/e/demo/steps/2",
    "/e/demo/steps/3",
    "/account/login",
    "/account/register",
    "/privacy",
]
ADMIN_PAGES = ["/exercises/new", "/e/demo/edit", "/e/demo/roles"]
FACILITATOR_PAGES = ["/", "/e/demo", "/e/demo/steps/1", "/e/demo/steps/2", "/e/demo/steps/3"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def blocking_violations(axe, page) -> list[str]:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"]
        )
        for v in violations
        if v["impact"] in BLOCKING
    ]


def check(axe, page, paths, label):
    problems = []
    for path in paths:
        page.goto(path)
        problems += [f"{path} ({label}) {p}" for p in blocking_violations(axe, page)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
def test_public_pages_logged_out(new_context, axe, locale):
    check(axe, new_context(locale=locale).new_page(), PUBLIC_PAGES, f"logged out, {locale}")


def test_pages_logged_in_as_facilitator(page, axe, sign_in):
    sign_in(page, "facilitadora@demo.coplat.mx")
    check(axe, page, [*FACILITATOR_PAGES, "/account/"], "facilitator")


def test_administration_pages(page, axe, sign_in):
    sign_in(page, "admin@demo.coplat.mx")
    check(axe, page, ADMIN_PAGES, "administrator")


@pytest.mark.parametrize("account", [None, "facilitadora@demo.coplat.mx", "admin@demo.coplat.mx"])
def test_phone_width(new_context, axe, sign_in, account):
    """At 360 px wide tables scroll sideways, and such regions must be reachable by
    keyboard (scrollable-region-focusable)."""
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    paths = ["/", "/e/demo", "/e/demo/steps/1", "/e/demo/steps/2", "/e/demo/steps/3"]
    if account:
        sign_in(page, account)
    if account == "admin@demo.coplat.mx":
        paths += ADMIN_PAGES
    check(axe, page, paths, f"360 px wide, {account or 'logged out'}")


def test_forms_showing_errors(page, axe, sign_in):
    page.goto("/account/register")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    problems = blocking_violations(axe, page)
    sign_in(page, "facilitadora@demo.coplat.mx", "wrong password")
    problems += blocking_violations(axe, page)
    assert not problems, "\n".join(problems)
