"""The services' `serve` command: the app is built with the collector paused, then served."""

from __future__ import annotations

import argparse
import gc
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from rcm_shared.serve import add_serve_arguments, serve

BUILT: list[dict[str, Any]] = []


def create_app() -> FastAPI:
    BUILT.append({"collector_enabled": gc.isenabled()})
    return FastAPI()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    module = types.ModuleType("serve_target")
    module.create_app = create_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "serve_target", module)
    BUILT.clear()
    yield calls
    gc.unfreeze()


def arguments(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser, default_port=8001)
    return parser.parse_args(argv)


def test_one_worker_builds_the_app_with_the_collector_paused_then_resumes_it(
    served: list[tuple[Any, dict[str, Any]]],
) -> None:
    assert gc.isenabled()
    serve("serve_target:create_app", arguments())
    assert BUILT == [{"collector_enabled": False}]
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    [(app, options)] = served
    assert isinstance(app, FastAPI)
    assert options == {"host": "127.0.0.1", "port": 8001, "log_level": "info",
                       "access_log": False, "ws": "none"}


def test_a_paused_collector_stays_paused(served: list[tuple[Any, dict[str, Any]]]) -> None:
    gc.disable()
    try:
        serve("serve_target:create_app", arguments())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_several_workers_each_build_the_app_themselves_once_it_was_built_here(
    served: list[tuple[Any, dict[str, Any]]],
) -> None:
    serve("serve_target:create_app",
          arguments("--workers", "2", "--host", "0.0.0.0", "--port", "9000"))
    assert BUILT == [{"collector_enabled": False}]  # the settings are checked before any worker
    assert gc.isenabled()
    [(app, options)] = served
    assert app == "serve_target:create_app"
    assert options["factory"] is True and options["workers"] == 2
    assert (options["host"], options["port"]) == ("0.0.0.0", 9000)


def test_a_factory_that_fails_leaves_the_collector_running(
    served: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> FastAPI:
        raise RuntimeError("settings refused")

    monkeypatch.setattr(sys.modules["serve_target"], "create_app", broken)
    with pytest.raises(RuntimeError):
        serve("serve_target:create_app", arguments())
    assert gc.isenabled()
    assert served == []
