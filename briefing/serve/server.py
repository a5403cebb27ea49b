"""HTTP requests -> the published site, from memory. Only GET and HEAD; only pages the last good build made.

Every request is checked before anything is looked up: the Host header must name the served address
(a page on another site cannot reach the server through DNS rebinding), and the path must be plain:
percent-decoded once as UTF-8, with no NUL or control characters, no backslash, no `.` or `..` segment,
no dotfile and no more than MAX_TARGET characters. Pages are looked up by name in the published mapping,
never on disk, so no path can lead outside the site, through a symlink or otherwise.
"""
from __future__ import annotations

import http.server
import ipaddress
import json
import mimetypes
import socket
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus

from . import livereload

MAX_TARGET = 2048  # characters in the request target; real site paths are a few dozen
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
}


@dataclass(frozen=True)
class Refusal:
    status: HTTPStatus
    reason: str


def site_path(target: str) -> str | Refusal:
    """A request target -> the path of the page it names in the site ('' is the root), or why not."""
    if len(target) > MAX_TARGET:
        return Refusal(HTTPStatus.REQUEST_URI_TOO_LONG, "the address is too long")
    if not target.startswith("/"):
        return Refusal(HTTPStatus.BAD_REQUEST, "the address must be a path")
    raw = target.split("?", 1)[0].split("#", 1)[0]
    try:
        path = urllib.parse.unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return Refusal(HTTPStatus.BAD_REQUEST, "the address is not UTF-8")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path) or "\\" in path:
        return Refusal(HTTPStatus.BAD_REQUEST, "the address holds a control character or a backslash")
    segments = path[1:].split("/")
    if any(segment in (".", "..") for segment in segments):
        return Refusal(HTTPStatus.BAD_REQUEST, "the address climbs out of the site")
    if any(segment == "" for segment in segments[:-1]):
        return Refusal(HTTPStatus.BAD_REQUEST, "the address has an empty segment")
    if any(segment.startswith(".") for segment in segments):
        return Refusal(HTTPStatus.NOT_FOUND, "hidden files are not served")
    return "/".join(segments)


def host_allowed(host_header: str | None, port: int, names: frozenset[str]) -> bool:
    """Whether `Host` names this server: one of `names` (lowercase, IPv6 without brackets) and our port."""
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            return False
        name, rest = host[1:end], host[end + 1:]
        port_text = rest[1:] if rest.startswith(":") else ("" if not rest else "x")
    else:
        name, _, port_text = host.partition(":")
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        return False
    return name in names and (int(port_text) if port_text else 80) == port


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server to this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def content_type(path: str) -> str:
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves a Channel's published site. Bind with port 0 for any free port; `url` says which."""

    daemon_threads = True
    block_on_close = False  # stopping never waits for a tab's long-poll

    def __init__(self, channel: livereload.Channel, host: str = "127.0.0.1", port: int = 8000):
        self.channel = channel
        self.host = host
        self.address_family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        super().__init__((host.strip("[]"), port), _Handler)
        self.port = self.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = self.host.strip("[]")
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/"

    def names_for(self, local_address: str) -> frozenset[str]:
        """The host names a request that arrived at `local_address` may use."""
        names = {self.host.strip("[]").lower(), local_address.lower()}
        if is_loopback(local_address):
            names.add("localhost")
        return frozenset(names)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="briefing-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.channel.close()
        self.shutdown()
        self.server_close()

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 (socketserver's signature)
        """A tab closed mid-answer is not worth a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "briefing-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (BaseHTTPRequestHandler's signature)
        pass  # each rebuild prints a line; a line per request would bury them

    def _answer(self, send_body: bool) -> None:
        local_address = self.connection.getsockname()[0]
        if not host_allowed(self.headers.get("Host"), self.server.port, self.server.names_for(local_address)):
            return self._send_text(HTTPStatus.FORBIDDEN, "This server only answers requests addressed to it by its own address.\n", send_body)
        path = site_path(self.path)
        if isinstance(path, Refusal):
            return self._send_text(path.status, path.reason + "\n", send_body)
        if ("/" + path).startswith(livereload.ENDPOINT):
            return self._answer_channel(path, send_body)
        published = self.server.channel.current
        if not published.built:
            if path == "" or path.endswith((".html", "/")):
                page = livereload.inject(livereload.placeholder_page(), published)
                return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", page, send_body)
            return self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, "The site has not been built yet.\n", send_body)
        name = path + "index.html" if path == "" or path.endswith("/") else path
        content = published.pages.get(name)
        if content is None and f"{name}/index.html" in published.pages:
            location = urllib.parse.quote("/" + name + "/")
            return self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", b"", send_body, {"Location": location})
        status = HTTPStatus.OK
        if content is None:
            status, name = HTTPStatus.NOT_FOUND, "404.html"
            content = published.pages.get(name)
            if content is None:
                return self._send_text(status, "Not found.\n", send_body)
        kind = content_type(name)
        if kind.startswith("text/html"):
            content = livereload.inject(content, published)
        self._send(status, kind, content, send_body)

    def _answer_channel(self, path: str, send_body: bool) -> None:
        if "/" + path == livereload.SCRIPT_PATH:
            return self._send(HTTPStatus.OK, CONTENT_TYPES[".js"], livereload.RELOAD_SCRIPT.encode("utf-8"), send_body)
        if "/" + path == livereload.WAIT_PATH:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            epoch = self.server.channel.wait(query.get("epoch", [""])[0])
            return self._send(HTTPStatus.OK, CONTENT_TYPES[".json"], json.dumps({"epoch": epoch}).encode(), send_body)
        self._send_text(HTTPStatus.NOT_FOUND, "Not found.\n", send_body)

    def _send_text(self, status: HTTPStatus, text: str, send_body: bool) -> None:
        self._send(status, CONTENT_TYPES[".txt"], text.encode("utf-8"), send_body)

    def _send(self, status: HTTPStatus, kind: str, body: bytes, send_body: bool, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
