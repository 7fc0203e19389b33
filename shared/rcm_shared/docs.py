"""/docs (Swagger UI) and /redoc from assets the service serves itself, so both pages work
with no network: FastAPI's own pages load their scripts from a CDN. The assets are those the
pinned `fastapi-offline` package ships (Swagger UI 5, Redoc 2)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    swagger_ui_default_parameters,
)
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

ASSETS_URL = "/docs-assets"
_ASSETS = files("fastapi_offline") / "static"


def install_offline_docs(app: FastAPI) -> None:
    app.mount(ASSETS_URL, StaticFiles(directory=str(_ASSETS)), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            # Swagger UI would otherwise ask validator.swagger.io to check the document.
            swagger_ui_parameters={**swagger_ui_default_parameters, "validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url, title=f"{app.title} - ReDoc",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False,
        )
