"""Small HTTP helpers shared by the server tests."""

from __future__ import annotations

import uuid

import jwt
import requests

from tests.servers import RunningServer


def activate(
    server: RunningServer, code: str, device: str, version: str = "1.0.0"
) -> requests.Response:
    return server.post("/activations", {"code": code, "device_id": device, "app_version": version})


def error_of(response: requests.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"]
    return str(body["error"]["code"])


def claims_of(token: str) -> dict[str, object]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def new_device() -> str:
    return f"device-{uuid.uuid4().hex}"
