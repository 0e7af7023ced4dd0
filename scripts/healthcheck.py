"""Container health check: GET /readyz on the local server; exit 0 only when it answers 200.

Django answers only to ALLOWED_HOSTS, so the request names the first of them as its Host.
/readyz is exempt from the HTTPS redirect, so plain HTTP on the inside is enough.
Standard library only: the runtime image has no curl.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    for host in hosts:
        if host != "*":
            return host.lstrip(".")  # ".example.com" also matches "example.com"
    return "localhost"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    timeout = float(os.environ.get("HEALTHCHECK_TIMEOUT", "4"))
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/readyz", headers={"Host": host_header()}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        print(f"unhealthy: {e}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"unhealthy: /readyz answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
