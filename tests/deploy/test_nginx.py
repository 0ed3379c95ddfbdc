"""The server as operators deploy it: ``serve --trusted-proxy 127.0.0.1`` behind nginx with
TLS, configured by the shipped ``packaging/nginx-standby.conf``; reached by ``requests``, by
the real ``standby`` command and by a browser-like client of the account console."""

from __future__ import annotations

import http.client
import json
import ssl
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from app.server.services import Services
from app.server.tables import AUDIT
from tests.deploy.nginx import SNIPPET, RunningNginx, nginx_in_front
from tests.engine.processes import YEAR, env
from tests.needs import need, nginx_missing
from tests.servers import (
    RunningServer,
    device_of,
    issue_code,
    proof_headers,
    running_server,
    services_for,
)

#: The variables through which a client may be told to trust another certificate.
_TRUST_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@dataclass
class Deployment:
    server: RunningServer
    nginx: RunningNginx
    services: Services


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A real server trusting the proxy on 127.0.0.1 (SQLite), nginx with TLS in front."""
    need("nginx", nginx_missing())
    db_url = f"sqlite:///{tmp_path_factory.mktemp('deploy') / 'standby.db'}"
    with (
        services_for(db_url) as services,
        running_server(db_url, options=["--trusted-proxy", "127.0.0.1"]) as server,
        nginx_in_front(server.url) as nginx,
    ):
        yield Deployment(server, nginx, services)


def _standby(*args: str, trust: Path | None) -> tuple[int, str, str]:
    """``standby ARGS`` run to its end, trusting ``trust`` through SSL_CERT_FILE alone (no
    other certificate variable set): exit status, stdout, stderr."""
    variables = {k: v for k, v in env().items() if k not in _TRUST_VARIABLES}
    if trust is not None:
        variables["SSL_CERT_FILE"] = str(trust)
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=variables,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_health_answers_over_https_verified_against_the_certificate(
    deployed: Deployment,
) -> None:
    answer = requests.get(
        deployed.nginx.api("/health"), verify=str(deployed.nginx.certificate), timeout=30
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.url.startswith("https://127.0.0.1:")
    # The same name, by its DNS name in the certificate.
    by_name = deployed.nginx.api("/health").replace("127.0.0.1", "localhost")
    assert requests.get(by_name, verify=str(deployed.nginx.certificate), timeout=30).ok
    # Real TLS: a client that trusts only the usual authorities refuses the certificate.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(deployed.nginx.api("/health"), verify=True, timeout=30)


def test_the_app_activates_through_nginx_trusting_the_certificate_via_ssl_cert_file(
    deployed: Deployment, tmp_path: Path
) -> None:
    code = issue_code(deployed.services, YEAR)
    device = str(tmp_path / "device")
    url = deployed.nginx.url
    status, _out, err = _standby(
        "license", "add", code, "--server", url, "--data-dir", device, trust=None
    )
    # Without the certificate trusted: the app says it could not make a secure connection,
    # in one line, and nothing changed.
    assert status == 3, err
    assert err.startswith("error: unreachable: ")
    assert "secure_connection" in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert deployed.services.operator.code_info(code)["devices_used"] == 0

    status, _out, err = _standby(
        "license",
        "add",
        code,
        "--server",
        url,
        "--data-dir",
        device,
        trust=deployed.nginx.certificate,
    )
    assert status == 0, err
    status, out, err = _standby("license", "show", "--json", "--data-dir", device, trust=None)
    assert status == 0, err
    shown = json.loads(out)
    assert shown["state"] == "active"
    assert shown["code_last5"] == code[-5:]
    assert deployed.services.operator.code_info(code)["devices_used"] == 1
    # The activation went through nginx: its access log has the signed POST.
    access = (deployed.nginx.folder / "access.log").read_text()
    assert '"POST /api/v1/activations HTTP/1.1" 201' in access


def test_the_console_sets_its_cookies_secure_over_https(deployed: Deployment) -> None:
    page = requests.get(
        f"{deployed.nginx.url}/account/sign-in",
        verify=str(deployed.nginx.certificate),
        timeout=30,
    )
    assert page.status_code == 200
    assert 'id="sign-in"' in page.text
    cookie = page.headers["set-cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    # Straight to the server (plain http, no proxy), the same page's cookie is not Secure:
    # it is nginx's X-Forwarded-Proto, believed from 127.0.0.1, that makes the difference.
    direct = requests.get(f"{deployed.server.url}/account/sign-in", timeout=30)
    assert "Secure" not in direct.headers["set-cookie"]


def test_the_shipped_snippet_is_the_one_tested(deployed: Deployment) -> None:
    """The running configuration is the shipped snippet with only its addresses, port and
    certificate paths changed."""
    running = {
        line.strip() for line in (deployed.nginx.folder / "nginx.conf").read_text().split("\n")
    }
    replaced = ("server 127.0.0.1:", "listen ", "ssl_certificate")
    shipped = [
        line.strip()
        for line in SNIPPET.read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    kept = [line for line in shipped if not line.startswith(replaced)]
    assert len(shipped) - len(kept) == 5
    assert [line for line in kept if line not in running] == []
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in kept
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in kept


def _post_via(
    nginx: RunningNginx, source: str, path: str, body: dict[str, str], headers: dict[str, str]
) -> int:
    """POST ``body`` (signed as the device it names) to the API through nginx over https,
    from the loopback address ``source``: the answer's status."""
    context = ssl.create_default_context(cafile=str(nginx.certificate))
    url = urlsplit(nginx.api(path))
    connection = http.client.HTTPSConnection(
        "127.0.0.1", url.port, context=context, timeout=60, source_address=(source, 0)
    )
    payload = json.dumps(body).encode()
    proof = proof_headers(nginx.api(path), payload, device_of(body))
    try:
        connection.request(
            "POST",
            url.path,
            body=payload,
            headers={"Content-Type": "application/json", **proof, **headers},
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_limits_count_the_client_nginx_saw(tmp_path: Path) -> None:
    """Behind nginx every request comes from 127.0.0.1: the limits still hold each client to
    its own address, the one nginx saw, and a client naming another address in its own
    X-Forwarded-For gains nothing by it."""
    need("nginx", nginx_missing())
    db_url = f"sqlite:///{tmp_path / 'standby.db'}"
    options = ["--trusted-proxy", "127.0.0.1", "--refusals-per-minute", "3"]
    with running_server(db_url, options=options) as server, nginx_in_front(server.url) as nginx:

        def wrong(source: str, claimed: str | None = None) -> int:
            body = {"code": "0" * 20, "device_id": f"device-{uuid.uuid4().hex}", "app_version": "1"}
            headers = {"X-Forwarded-For": claimed} if claimed else {}
            return _post_via(nginx, source, "/activations", body, headers)

        assert [wrong("127.0.0.61", f"198.51.100.{i}") for i in range(4)] == [404] * 3 + [429]
        assert wrong("127.0.0.62") == 404  # another client, the same proxy

        # A sign-in's failures are counted against the address nginx saw, too.
        sign_in = {"email": "nobody@example.com", "password": "x" * 8, "device_id": "device-x1"}
        assert _post_via(nginx, "127.0.0.63", "/accounts/sign-in", sign_in, {}) == 401
    with services_for(db_url) as services, services.store.connection() as connection:
        addresses = connection.execute(
            select(AUDIT.c.address).where(AUDIT.c.event == "sign_in_refused")
        ).scalars()
        assert list(addresses) == ["127.0.0.63"]
