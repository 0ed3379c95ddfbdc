"""schemathesis hooks for tests/server/test_fuzzing.py (loaded by SCHEMATHESIS_HOOKS).

Every call of the device API must be signed by a device, so unsigned generated requests
would all stop at the proof check. Three generated POSTs in four are signed here, as the
device their body names, so the handlers behind the check meet the generated bodies too;
the fourth keeps whatever headers were generated, so the check itself is fuzzed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import schemathesis

from tests.servers import device_of, proof_headers


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.method.upper() != "POST" or not isinstance(case.body, dict):
        return
    try:
        payload = json.dumps(case.body, allow_nan=False).encode()  # as it will be sent
    except (TypeError, ValueError):
        return
    if hashlib.sha256(payload).digest()[0] % 4 == 0:
        return
    url = case.formatted_path
    case.headers = {**(case.headers or {}), **proof_headers(url, payload, device_of(case.body))}
