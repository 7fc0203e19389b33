"""The ceiling: a bare FastAPI app answering a tiny JSON GET, served exactly like the services
(uvicorn, one worker, the same loop and HTTP parser, no access log). Nothing a service does
per request can be faster than this on the same machine.

    uvicorn benchmarks.ceiling:app --no-access-log
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def tiny() -> dict[str, str]:
    return {"status": "ok"}
