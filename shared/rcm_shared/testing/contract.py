"""Contract fuzzing with schemathesis against an app's own OpenAPI document, in-process."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from fastapi import FastAPI
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events


@dataclass
class ContractRun:
    cases: Counter[str] = field(default_factory=Counter)  # operation -> cases run
    failures: dict[tuple[str, str], str] = field(default_factory=dict)  # (operation, check)
    errors: list[str] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)  # every operation the document names

    def summary(self, service: str) -> str:
        return (f"{service} OpenAPI contract: {sum(self.cases.values())} cases over "
                f"{len(self.cases)} operations, {len(self.failures)} failing checks")


# Every check schemathesis has runs. The answer-time check, off unless given a limit, gets one
# far above any answer's time: it catches a request that hangs, not a slow one (speed is
# measured by the benchmarks).
HANG_SECONDS = 30


def run_contract(app: FastAPI, config: dict[str, Any]) -> ContractRun:
    """`config`: schemathesis settings; its checks may be tuned (expected statuses), none
    turned off."""
    checks = config.get("checks", {})
    for section in (checks, *(o.get("checks", {}) for o in config.get("operations", []))):
        assert not any(isinstance(check, dict) and check.get("enabled") is False
                       for check in section.values()), "every check runs"
    # Hypothesis's "too slow" health check times data generation, which depends on how busy the
    # machine is, not on the API: it is the one health check left out.
    config = {**config, "checks": {"max_response_time": HANG_SECONDS, **checks},
              "suppress-health-check": ["too_slow"]}
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, config=SchemathesisConfig.from_dict(config))
    run = ContractRun(operations={
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items() for method in item
    })
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            run.cases[recorder.label] += len(recorder.cases)
            for checks in recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        run.failures.setdefault((recorder.label, check.name),
                                                f"{failure.title}: {failure.message}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            run.errors.append(str(getattr(event, "value", None) or getattr(event, "exception", "")))
    return run
