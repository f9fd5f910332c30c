"""One view serves the full page and its htmx fragment: the page includes the fragment,
so the markup exists once."""

from flask import make_response, redirect, render_template, request

from coplat.extensions import htmx


def render(page: str, fragment: str | None = None, status: int = 200, **context):
    template = fragment if (fragment and htmx and not htmx.boosted) else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(location: str):
    """After a successful POST: 303 for a plain form; for htmx, let it follow too."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)


def is_safe_next(target: str | None) -> bool:
    return (
        bool(target)
        and target.startswith("/")
        and not target.startswith("//")
        and ("\\" not in target)
    )


def back_or(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else default
