"""The real `serve` entrypoint as SageMaker runs it: a process on a free port, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_ping_and_invocations_then_stops_cleanly(model_dir: Path, examples: list[dict]) -> None:
    port = free_port()
    env = {**os.environ, "SAGEMAKER_BIND_TO_PORT": str(port), "EPHENV_BIND_HOST": "127.0.0.1", "EPHENV_MODEL_DIR": str(model_dir)}
    server = subprocess.Popen([sys.executable, str(PROJECT / "src" / "serve"), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else "server exited"
            try:
                status = httpx.get(f"{base}/ping", timeout=1).status_code
                if status == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        assert status == 200, "the server never became healthy"
        for example in examples:
            response = httpx.post(f"{base}/invocations", json=example["request"], timeout=10)
            assert response.status_code == 200
            assert [p["label"] for p in response.json()["predictions"]] == [p["label"] for p in example["response"]["predictions"]]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
