"""Writes both services' OpenAPI documents, as they serve them, into the folder given."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from billing_service.main import create_app as billing_app
from coding_service.main import create_app as coding_app


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, create_app in (("coding", coding_app), ("billing", billing_app)):
        document = create_app().openapi()
        (out / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
