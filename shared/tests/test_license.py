"""The license the OpenAPI documents declare (rcm_shared.openapi.LICENSE) is the repository's:
its LICENSE file and every package's pyproject say the same."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rcm_shared.openapi import LICENSE

ROOT = Path(__file__).resolve().parents[2]


def test_the_documents_license_is_the_repositorys() -> None:
    assert LICENSE["identifier"] == "MIT"
    assert (ROOT / "LICENSE").read_text().splitlines()[0] == "MIT License"
    for pyproject in ("pyproject.toml", "shared/pyproject.toml", "coding-service/pyproject.toml",
                      "billing-service/pyproject.toml"):
        project = tomllib.loads((ROOT / pyproject).read_text())["project"]
        assert project["license"] == LICENSE["identifier"], pyproject
