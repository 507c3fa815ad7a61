from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("service", "seed", "fastapi", "sqlmodel", "sqlalchemy", "httpx", "starlette")


def test_matching_imports_no_web_or_database_code() -> None:
    code = "import json, sys, matching; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    leaked = [name for name in loaded if name.split(".")[0] in FORBIDDEN]
    assert leaked == []
