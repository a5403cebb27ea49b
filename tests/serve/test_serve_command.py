"""`python build.py serve` as a user runs it: in its own process, stopped with Ctrl+C."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = "seeds/000_b31cede6e6f66a7a.txt"


class Served:
    def __init__(self, project: Path, *options: str):
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--project", str(project), *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=project,
        )
        self._guard = threading.Timer(120, self.process.kill)  # a hung server must not hang the suite
        self._guard.start()
        self.first_line = self.process.stdout.readline()
        match = re.fullmatch(r"Serving (.+) at (http://127\.0\.0\.1:(\d+)/) \(Ctrl\+C to stop\)\n", self.first_line)
        self.url, self.port = (match.group(2), int(match.group(3))) if match else ("", 0)

    def read_line(self) -> str:
        return self.process.stdout.readline()

    def get(self, path: str = "") -> str:
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return response.read().decode("utf-8")

    def interrupt(self) -> tuple[int, str, str]:
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        self._guard.cancel()
        return self.process.returncode, out, err


def test_serve_builds_serves_rebuilds_on_a_save_and_stops_on_ctrl_c(example_copy: Path) -> None:
    served = Served(example_copy, "--port", "0")
    assert served.first_line == f"Serving {example_copy} at {served.url} (Ctrl+C to stop)\n"
    first_build = re.fullmatch(r"built in \d+\.\d\d s \(1 of 1 document analysed, (\d+) of \1 pages rendered\)\n", served.read_line())
    assert first_build
    page = served.get()
    epoch = re.search(r'data-epoch="(\d+)"', page).group(1)

    seed = example_copy / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("finalizing the details", "polishing the details"), encoding="utf-8")
    rebuilt = served.read_line()
    answer = json.loads(served.get(f"__briefing__/wait?epoch={epoch}"))

    assert re.fullmatch(rf"{re.escape(SEED)} changed: rebuilt in \d+\.\d\d s \(1 of 1 document analysed, \d+ of {first_build.group(1)} pages rendered\)\n", rebuilt)
    assert str(answer["epoch"]) != epoch
    assert "polishing the details" in served.get("documents/000-b31cede6e6f66a7a/")
    assert served.interrupt() == (0, "Stopped.\n", "")
    assert not (example_copy / "site").exists()  # the preview never writes the output folder


def test_listening_beyond_this_machine_warns_and_still_checks_the_host(example_copy: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--project", str(example_copy), "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    guard = threading.Timer(120, process.kill)
    guard.start()
    try:
        warning = process.stderr.readline()
        port = int(re.search(r":(\d+)/", process.stdout.readline()).group(1))
        process.stdout.readline()  # the first build
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
            status = response.status
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"attacker.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
        guard.cancel()

    assert warning == (
        "briefing: warning: listening on 0.0.0.0, which other machines can reach; the preview server is meant "
        "for this machine (the default, --host 127.0.0.1)\n"
    )
    assert (status, refused.value.code) == (200, 403)


def test_a_port_in_use_is_a_usage_error(example_copy: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "serve", "--project", str(example_copy), "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"briefing: error: cannot listen on 127.0.0.1 port {port}: Address already in use\n"


def test_serving_a_missing_project_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "serve", "--project", str(tmp_path / "nowhere"), "--port", "0"],
        capture_output=True, text=True, timeout=120,
    )

    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"briefing: error: project folder {tmp_path / 'nowhere'} does not exist\n")
