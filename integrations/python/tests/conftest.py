"""Fixtures: the compiled nic binary (built by `make build`), a running sandbox, and a fresh AWS config per test."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(pathlib.Path(__file__).parent / "harness"))  # the `nebari` stand-in
sys.path.insert(0, str(REPO / "integrations" / "python"))


@pytest.fixture(scope="session")
def nic_binary() -> str:
    binary = REPO / "dist" / "nic"
    assert binary.is_file(), "dist/nic is missing: run `make build` first"
    return str(binary)


@pytest.fixture(scope="session")
def sandbox():
    """The built-in sandbox on free ports; yields its exports, which a test puts in NIC's environment."""
    process = subprocess.Popen([str(REPO / "node_modules" / ".bin" / "bun"), "sandbox/main.ts"], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    env = {}
    for line in process.stdout:
        key, _, value = line.removeprefix("export ").rstrip("\n").partition("=")
        env[key] = json.loads(value)
        if key == "NIC_SANDBOX_CONTROL":
            break
    assert "NIC_SANDBOX_CONTROL" in env, "the sandbox did not start"
    yield env
    process.terminate()
    process.wait(timeout=30)


def control(sandbox, method: str, path: str, body=None):
    request = urllib.request.Request(sandbox["NIC_SANDBOX_CONTROL"] + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read().decode()
        return json.loads(text) if text else None


@pytest.fixture
def world(sandbox):
    """An empty sandbox world with no delays, for each test."""
    control(sandbox, "POST", "/reset")
    control(sandbox, "PUT", "/delays", {})
    return sandbox


@pytest.fixture
def config_path(tmp_path) -> str:
    """A distinct project per test, so state and cloud names never collide between tests."""
    text = (REPO / "fixtures" / "configs" / "demo-aws.yaml").read_text()
    target = tmp_path / "nebari-config.yaml"
    target.write_text(text.replace("project_name: nicdemo", f"project_name: py{os.getpid() % 10000}{tmp_path.name[-4:].replace('_', '')}"))
    return str(target)
