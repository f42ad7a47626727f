"""NICAdapter against the compiled binary on the sandbox: the protocol as Nebari's stage would use it."""
import logging
import pathlib
import signal
import subprocess
import threading
import time

import pytest

from conftest import control
from nic_adapter import (NICAdapter, NICBinaryError, NICConfigError, NICImportError, NICStateLockedError,
                         NICTimeoutError, SUPPORTED_VERSIONS)
from nic_adapter.adapter import parse_version

FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "fixtures"


def adapter(nic_binary, sandbox, **kwargs) -> NICAdapter:
    return NICAdapter(binary=nic_binary, env=sandbox, **kwargs)


def test_finds_and_checks_the_binary(nic_binary, monkeypatch):
    monkeypatch.setenv("NIC_BINARY", nic_binary)
    nic = NICAdapter()
    assert nic.binary == nic_binary
    low, high = SUPPORTED_VERSIONS
    assert low <= parse_version(nic.version) < high
    monkeypatch.setattr("nic_adapter.adapter.SUPPORTED_VERSIONS", ((9, 0, 0), (10, 0, 0)))
    with pytest.raises(NICBinaryError) as refused:
        NICAdapter(binary=nic_binary)
    assert refused.value.code == "NIC_VERSION_UNSUPPORTED"
    monkeypatch.delenv("NIC_BINARY")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(NICBinaryError):
        NICAdapter()


def test_invalid_config_raises_with_every_problem_and_its_line(nic_binary, tmp_path):
    config = tmp_path / "nebari-config.yaml"
    config.write_text("project_name: 1bad\nprovider: aws\n")
    with pytest.raises(NICConfigError) as failed:
        NICAdapter(binary=nic_binary).validate(str(config))
    assert failed.value.code == "CONFIG_INVALID"
    assert failed.value.exit_code == 3
    assert any(e["path"] == "project_name" and e["line"] == 1 for e in failed.value.errors)
    assert failed.value.recovery_suggestions


def test_deploy_redeploy_status_drift_outputs_destroy(nic_binary, world, config_path, caplog):
    nic = adapter(nic_binary, world)
    caplog.set_level(logging.INFO, logger="nic")
    first = nic.deploy(config_path)
    assert first["success"] and first["has_changes"]
    assert any("Creating aws/eks_cluster/main" in r.getMessage() for r in caplog.records), "progress lines reach logging"
    assert all(hasattr(r, "nic") for r in caplog.records), "each log record carries NIC's JSON line"

    plan = nic.deploy(config_path, dry_run=True)
    assert plan["has_changes"] is False and plan["exit_code"] == 0

    status = nic.status(config_path)
    assert status["healthy"] is True, status["issues"]

    drift = nic.drift_detect(config_path)
    assert drift["has_drift"] is False

    outputs_file = pathlib.Path(config_path).parent / ".nebari/stages/02-infrastructure/outputs.json"
    outputs = NICAdapter.outputs(str(outputs_file))
    assert outputs["kubernetes_credentials"]["value"]["host"].startswith("https://")
    assert pathlib.Path(outputs["kubeconfig_filename"]["value"]).is_file()
    assert set(outputs["node_selectors"]) == {"general", "user", "worker"}
    assert "cluster" not in outputs, "only the keys Nebari's later stages read"

    vpcs = control(world, "GET", "/inventory?type=ec2:vpc")["resources"]
    control(world, "POST", "/mutate", {"type": "ec2:vpc", "id": vpcs[0]["id"], "tags": {"added": "by-hand"}})
    drifted = nic.drift_detect(config_path)
    assert drifted["has_drift"] is True and drifted["exit_code"] == 2

    gone = nic.destroy(config_path)
    assert gone["success"]
    assert control(world, "GET", "/inventory?type=eks:cluster")["resources"] == []


def test_a_held_lock_raises_state_locked_naming_the_holder(nic_binary, world, config_path):
    control(world, "PUT", "/delays", {"eksClusterCreate": 8000})
    nic = adapter(nic_binary, world)
    first = threading.Thread(target=lambda: nic.deploy(config_path))
    first.start()
    state = pathlib.Path(config_path).parent / ".nebari/stages/02-infrastructure"
    for _ in range(100):  # wait until the first run holds the lock
        if any(p.name.endswith(".lock") for p in state.glob("*")) if state.exists() else False:
            break
        time.sleep(0.1)
    with pytest.raises(NICStateLockedError) as locked:
        nic.deploy(config_path, extra_args=["--lock-timeout", "0s"])
    assert locked.value.exit_code == 4
    assert locked.value.lock, "details.lock names the holder"
    first.join()


def test_import_of_a_deployment_that_does_not_exist_raises_and_writes_nothing(nic_binary, world, tmp_path):
    config = tmp_path / "nebari-config.yaml"
    config.write_text((FIXTURES / "configs" / "demo-aws.yaml").read_text())
    tfstate = FIXTURES / "tfstate" / "aws-example.tfstate.json"  # a real Terraform state of resources the sandbox lacks
    with pytest.raises(NICImportError) as refused:
        adapter(nic_binary, world).import_from_terraform(str(config), terraform_state_02=str(tfstate))
    assert refused.value.code.startswith("IMPORT_")
    assert refused.value.exit_code != 0
    assert not (tmp_path / ".nebari").exists(), "a refused import writes nothing"


def test_timeout_stops_nic_at_a_safe_point_and_a_rerun_converges(nic_binary, world, config_path):
    control(world, "PUT", "/delays", {"eksClusterCreate": 20000})
    nic = adapter(nic_binary, world, stop_grace=60)
    started = time.monotonic()
    with pytest.raises(NICTimeoutError) as stopped:
        nic.deploy(config_path, timeout=3)
    assert time.monotonic() - started < 60, "NIC stopped well before the cluster would have been ready"
    assert stopped.value.code == "NIC_TIMEOUT"
    status = nic.status(config_path)
    assert status["lock"] in (None, {}), "the interrupted run released the lock"
    control(world, "PUT", "/delays", {})
    assert nic.deploy(config_path)["success"]
    assert nic.deploy(config_path, dry_run=True)["has_changes"] is False


def test_keyboard_interrupt_is_passed_to_nic_as_sigint(nic_binary, world, config_path, monkeypatch):
    control(world, "PUT", "/delays", {"eksClusterCreate": 20000})
    nic = adapter(nic_binary, world, stop_grace=60)
    sent = []
    real_wait = subprocess.Popen.wait

    def interrupted_wait(self, timeout=None):
        if not sent and self.args[1] == "deploy":
            time.sleep(2)
            sent.append(True)
            raise KeyboardInterrupt
        return real_wait(self, timeout)

    real_send = subprocess.Popen.send_signal
    signals = []
    monkeypatch.setattr(subprocess.Popen, "wait", interrupted_wait)
    monkeypatch.setattr(subprocess.Popen, "send_signal", lambda self, sig: (signals.append(sig), real_send(self, sig)))
    with pytest.raises(KeyboardInterrupt):
        nic.deploy(config_path)
    assert signals[0] == signal.SIGINT
    monkeypatch.undo()
    assert nic.status(config_path)["lock"] in (None, {})
