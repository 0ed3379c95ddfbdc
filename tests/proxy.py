"""A proxy in front of the real server that can hold requests: a server that hangs, or a
request in flight at the moment a test kills the client."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


class Proxy:
    """Forwards to ``upstream``; a request ``held`` says yes to waits until :meth:`release`
    (then goes on to the server, whose answer may reach nobody)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.held: Callable[[str, str], bool] = lambda method, path: False
        self.forward_held = True  # after release: to the server, or dropped
        self.holding = threading.Event()  # set while a request is held
        self._release = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _relay(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.held(method, self.path):
                    proxy.holding.set()
                    proxy._release.wait(60)
                    if not proxy.forward_held:
                        return
                answer = requests.request(
                    method,
                    proxy.upstream + self.path,
                    data=body,
                    headers={
                        "Content-Type": "application/json",
                        **{
                            name: value
                            for name, value in self.headers.items()
                            if name.lower().startswith("standby-")  # the device's proof
                        },
                    },
                    timeout=30,
                )
                try:
                    self.send_response(answer.status_code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except OSError:
                    pass  # the client is gone

            def do_GET(self) -> None:
                self._relay("GET")

            def do_POST(self) -> None:
                self._relay("POST")

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def release(self) -> None:
        self._release.set()

    def close(self) -> None:
        self.forward_held = False
        self.release()
        self.http.shutdown()
        self.http.server_close()
