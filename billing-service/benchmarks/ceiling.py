"""The ceiling: a bare FastAPI app answering a tiny JSON GET, served exactly like the services
(rcm_shared.serve: uvicorn, one worker, the same loop and HTTP parser, no access log). Nothing a
service does per request can be faster than this on the same machine.

    python -m rcm_shared.serve benchmarks.ceiling:create_app
"""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def tiny() -> dict[str, str]:
        return {"status": "ok"}

    return app
