"""Small HTTP helpers shared by the server tests."""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any
from urllib.parse import urlsplit

import requests

from tests.servers import RunningServer, device_of, proof_headers


def activate(
    server: RunningServer, code: str, device: str, version: str = "1.0.0"
) -> requests.Response:
    return server.post("/activations", {"code": code, "device_id": device, "app_version": version})


def error_of(response: requests.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"]
    return str(body["error"]["code"])


def new_device() -> str:
    return f"device-{uuid.uuid4().hex}"


def post_from(
    server: RunningServer,
    address: str,
    path: str,
    body: dict[str, str],
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, str | None]:
    """POST ``body`` to ``path`` of the API from the loopback ``address`` (127.0.0.x), so the
    server sees another machine: status, answer, Retry-After. Signed as the device the body
    names, besides ``headers``."""
    url = urlsplit(server.api(path))
    assert url.hostname is not None
    connection = http.client.HTTPConnection(
        url.hostname, url.port, timeout=60, source_address=(address, 0)
    )
    payload = json.dumps(body).encode()
    proof = proof_headers(server.api(path), payload, device_of(body))
    try:
        connection.request(
            "POST",
            url.path,
            body=payload,
            headers={"Content-Type": "application/json", **proof, **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read()), response.getheader("Retry-After")
    finally:
        connection.close()
