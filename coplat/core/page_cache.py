"""A short-lived copy of the public pages as a visitor without cookies sees them.

A state consultation's closing week brings thousands of visitors to the same few pages
(the results, the topics, the feedback log). Each worker keeps what it rendered for a
visitor without cookies for PAGE_CACHE_SECONDS and answers the next such visitor from
memory, without touching the database. Everyone else (a signed-in citizen, a facilitator,
anyone who chose a language or opened a form) has a cookie and always gets a fresh page.

Only what cannot differ between cookie-less visitors is kept: the answer to a GET that
sent no cookie, answered 200 without setting one. A page holding a form's CSRF token
starts a session and sets its cookie, so it is never kept. The key holds everything such
a page depends on besides the record: host, path, query, the language the browser asks
for and the htmx headers. The record may be up to PAGE_CACHE_SECONDS ahead of a kept
copy; no write empties the cache, because during a vote writes come every few
milliseconds and would leave nothing to share.
"""

from cachelib import SimpleCache
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import generate_etag, parse_accept_header, unquote_etag

from coplat.core.i18n import DEFAULT_LANGUAGE, LANGUAGES

# What a page may be: HTML, its downloads (CSV, JSON) and the problem-tree drawing.
KEPT_TYPES = ("text/html", "text/csv", "application/json", "image/svg+xml")
LARGEST_KEPT_BYTES = 512 * 1024
# The request headers a kept page may depend on: htmx asks for fragments with these.
KEYED_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
)


class PageCache:
    """WSGI middleware in front of the Flask app; `entries` bounds each worker's memory
    (at most entries × LARGEST_KEPT_BYTES, in practice a few MB)."""

    def __init__(self, app, seconds: int, entries: int = 200):
        self.app = app
        self.kept = SimpleCache(threshold=entries, default_timeout=seconds)

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] != "GET" or "HTTP_COOKIE" in environ:
            return self.app(environ, start_response)
        key = self.key(environ)
        kept = self.kept.get(key)
        if kept is None:
            return self.render_and_keep(key, environ, start_response)
        status, headers, body, etag = kept
        if etag in _etags(environ.get("HTTP_IF_NONE_MATCH")):
            start_response("304 Not Modified", [("ETag", f'"{etag}"'), ("X-Cache", "hit")])
            return []
        start_response(status, [*headers, ("X-Cache", "hit")])
        return [body]

    @staticmethod
    def key(environ) -> str:
        language = (
            parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept).best_match(
                LANGUAGES
            )
            or DEFAULT_LANGUAGE
        )
        parts = [
            environ["wsgi.url_scheme"],
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            language,
            *(environ.get(name, "") for name in KEYED_HEADERS),
        ]
        return "\x1f".join(parts)

    def render_and_keep(self, key: str, environ, start_response):
        # Flask starts its answer before returning the body: the answer is recorded and
        # started here, once it is known whether it is kept (and so gains an ETag).
        started = []

        def record(status, headers, exc_info=None):
            started[:] = [status, headers, exc_info]
            return _no_write

        body_parts = self.app(environ, record)
        status, headers, exc_info = started
        if not _keepable(status, headers):
            start_response(status, headers, exc_info)
            return body_parts
        try:
            body = b"".join(body_parts)
        finally:
            if hasattr(body_parts, "close"):
                body_parts.close()
        etag = generate_etag(body)
        headers = [*headers, ("ETag", f'"{etag}"')]
        self.kept.set(key, (status, headers, body, etag))
        start_response(status, [*headers, ("X-Cache", "miss")])
        return [body]


def _no_write(data: bytes):
    raise RuntimeError("the page cache does not support WSGI's write()")


def _keepable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200 "):
        return False
    named = {name.lower(): value for name, value in headers}
    if "set-cookie" in named or "no-store" in named.get("cache-control", ""):
        return False
    if named.get("content-type", "").split(";")[0].strip() not in KEPT_TYPES:
        return False
    length = named.get("content-length", "")
    return length.isdigit() and int(length) <= LARGEST_KEPT_BYTES


def _etags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {unquote_etag(part.strip())[0] for part in header.split(",")}


def install(app) -> None:
    """Put the cache in front of the app when PAGE_CACHE_SECONDS is above zero."""
    seconds = app.config["PAGE_CACHE_SECONDS"]
    if seconds > 0:
        app.wsgi_app = PageCache(app.wsgi_app, seconds)
