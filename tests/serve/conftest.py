"""A real preview server on an ephemeral port, over a copy of the shipped example project, and a raw
HTTP client that sends exactly the bytes a test gives it (http.client would refuse the hostile ones).
tests/browser/test_live_reload.py loads this module too, for `Preview` and `copy_example`."""
from __future__ import annotations

import io
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from briefing.serve.livereload import Published
from briefing.serve.preview import PreviewSession
from briefing.serve.server import PreviewServer

REPO = Path(__file__).resolve().parents[2]

SEED = "seeds/000_b31cede6e6f66a7a.txt"
DOCUMENT_PAGE = "documents/000-b31cede6e6f66a7a/index.html"
SETTLE = 60.0  # the longest a test waits for the server to show what it expects; never asserted on


def copy_example(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("seeds", "content"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "briefing.yaml", target / "briefing.yaml")
    return target


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def raw_request(port: int, request: bytes) -> Response:
    """Sends `request` as is and reads one response (the request should ask for `Connection: close`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            body += chunk
    if not lines[0].startswith("HTTP/"):  # http.server answers an HTTP/0.9-looking request without a status line
        return Response(0, {}, data)
    return Response(int(lines[0].split(" ")[1]), headers, body)


class Preview:
    """A PreviewSession and its server, started; `get` speaks plain HTTP/1.1 to it."""

    SEED = SEED
    DOCUMENT_PAGE = DOCUMENT_PAGE

    def __init__(self, project: Path):
        self.project = project
        self.stdout, self.stderr = io.StringIO(), io.StringIO()
        self.session = PreviewSession(project, self.stdout, self.stderr)
        self.server = PreviewServer(self.session.channel, "127.0.0.1", 0)
        self.server.start()
        self.session.start()

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return self.server.url

    def get(self, target: str, host: str | None = None, method: str = "GET") -> Response:
        host = f"127.0.0.1:{self.port}" if host is None else host
        return raw_request(self.port, f"{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())

    def wait_until(self, done: Callable[[Published], bool]) -> Published:
        """Waits through rebuilds until the published state satisfies `done` (or SETTLE seconds pass)."""
        channel = self.session.channel
        deadline = time.monotonic() + SETTLE
        while not done(channel.current) and time.monotonic() < deadline:
            channel.wait(str(channel.current.epoch), timeout=max(0.1, deadline - time.monotonic()))
        return channel.current

    def page(self, path: str) -> str:
        return self.session.channel.current.pages.get(path, b"").decode("utf-8")

    def stop(self) -> None:
        self.server.stop()
        self.session.stop()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """A fresh server over a fresh copy of the example, for tests that edit files."""
    running = Preview(copy_example(tmp_path / "project"))
    yield running
    running.stop()


@pytest.fixture
def make_preview() -> Iterator[Callable[[Path], Preview]]:
    """make_preview(project) -> a started Preview of any project, stopped after the test."""
    started: list[Preview] = []

    def make(project: Path) -> Preview:
        started.append(Preview(project))
        return started[-1]

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A fresh copy of the shipped example project."""
    return copy_example(tmp_path / "project")


@pytest.fixture(scope="session")
def raw() -> Callable[[int, bytes], Response]:
    return raw_request


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One server for the tests that only read."""
    running = Preview(copy_example(tmp_path_factory.mktemp("served") / "project"))
    yield running
    running.stop()
