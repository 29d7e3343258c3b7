"""The `serve` entrypoint: what SageMaker runs as `docker run <image> serve`."""

from __future__ import annotations

import logging
import signal
import sys

import uvicorn

from .app import create_app
from .settings import Settings


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # SageMaker passes "serve" as the container's command; nothing else is expected.
    if args not in ([], ["serve"]):
        sys.exit(f"usage: serve [serve]  (got {' '.join(args)})")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    # uvicorn turns SIGTERM into a graceful shutdown (in-flight requests finish) and then re-raises
    # it; this handler makes that final signal a clean exit 0 for SageMaker or the local provider.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        workers=1,
        timeout_keep_alive=settings.timeout_keep_alive,
        access_log=False,
    )
