"""Start a service's app under uvicorn: the `serve` command of both services.

Kept free of heavy imports: everything the app needs is imported after the garbage collector
is paused, so `coding-service serve` and `billing-service serve` start as fast as the stack
allows (see docs/benchmarks.md, start-up).
"""

from __future__ import annotations

import argparse
import gc


def add_serve_arguments(parser: argparse.ArgumentParser, *, default_port: int) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=default_port, help="port to listen on")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes (each runs the app and its background loops)")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"],
                        help="uvicorn's own log level (the app's is LOG_LEVEL)")


def serve(factory: str, args: argparse.Namespace) -> None:
    """Run the app that `factory` ("module:function") builds, as `args` say.

    The app is built here with the collector paused: start-up allocates several hundred
    thousand objects that live as long as the process, and collecting among them while they
    are built is wasted work (about 0.1 s of a 0.85 s start on the benchmark machine). They
    are then frozen out of later full collections and the collector resumes; what start-up
    left unreachable (about a thousand objects) is kept rather than collected. Several workers
    are separate processes that each build the app themselves: the one built here then only
    proves the settings sound, so that bad ones stop the command once rather than each worker
    over and over.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        import uvicorn
        from uvicorn.importer import import_from_string

        app = import_from_string(factory)()
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    options = {"host": args.host, "port": args.port, "log_level": args.log_level,
               # The services log every request themselves, and serve no websockets.
               "access_log": False, "ws": "none"}
    if args.workers > 1:
        uvicorn.run(factory, factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(app, **options)


def main(argv: list[str] | None = None) -> None:
    """`python -m rcm_shared.serve module:factory`: any app factory, served the way the
    services are (the benchmarks serve their bare-framework ceiling with it)."""
    parser = argparse.ArgumentParser(prog="python -m rcm_shared.serve")
    parser.add_argument("factory", help='the app factory, "module:function"')
    add_serve_arguments(parser, default_port=8000)
    args = parser.parse_args(argv)
    serve(args.factory, args)


if __name__ == "__main__":
    main()
