"""What the code sets cost in memory: resident size of this process after the modules are
imported and before `load_code_sets`, against after it (cached index), printed as JSON.

    python -m benchmarks.codeset_memory CACHE_DIR
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path

from coding_service.codesets.loader import load_code_sets


def rss_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc")


def main() -> None:
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    code_sets = load_code_sets(Path(sys.argv[1]))
    seconds = time.perf_counter() - started
    gc.collect()
    after = rss_mb()
    print(json.dumps({"load_seconds": round(seconds, 3), "code_sets_mb": round(after - before, 1),
                      "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
                      "icd10cm_codes": sum(e.code_count for e in code_sets.icd10cm.editions)}))


if __name__ == "__main__":
    main()
