"""Container health check: `python -m bot.web.healthcheck`.

In webhook mode (WEBHOOK_URL set) it asks the running server's /healthz, which checks the
database and the dispatcher; in polling mode there is no server, so it runs
`python -m bot health` (the database answers and is migrated). Exit 0 when healthy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request


def main() -> int:
    """Exit status of the check (0 healthy, 1 not)."""
    if not os.environ.get("WEBHOOK_URL"):
        return subprocess.call([sys.executable, "-m", "bot", "health"])
    port = os.environ.get("WEBHOOK_PORT", "8080")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            print(answer.read().decode())
            return 0 if answer.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
