"""Where the voting flow (`bench/locustfile.py`) finds the CSRF token: in the login form's
hidden field, and in the `hx-headers` that `base.html` puts on a signed-in person's pages
for htmx.
`tests/test_bench_harness.py` checks both against coplat's real pages."""

import re

FORM_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HTMX_TOKEN = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
