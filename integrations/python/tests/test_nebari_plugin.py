"""The Nebari stage plugin, driven the way Nebari drives stages (harness/), against the compiled nic on the sandbox."""
import contextlib
import os
import pathlib

import nebari_runner
from conftest import control
from nebari.hookspecs import NebariStage
from nic_adapter import nebari_plugin


class TerraformInfrastructure(NebariStage):  # Nebari's own stages the plugin must replace
    name, priority = "02-infrastructure", 20


class TerraformKubernetesInitialize(NebariStage):
    name, priority = "03-kubernetes-initialize", 30


class Ingress(NebariStage):
    """Stage 04 stand-in: records what Nebari's later stages get from stage 02."""
    name, priority = "04-kubernetes-ingress", 40
    seen = {}

    @contextlib.contextmanager
    def deploy(self, stage_outputs, disable_prompt=False):
        Ingress.seen = {"outputs": stage_outputs.get("stages/02-infrastructure"), "KUBE_HOST": os.environ.get("KUBE_HOST")}
        yield


def nebari_config(project: str) -> dict:
    groups = {"general": {"instance": "m5.2xlarge", "min_nodes": 1, "max_nodes": 1},
              "user": {"instance": "m5.xlarge", "min_nodes": 0, "max_nodes": 5},
              "worker": {"instance": "m5.xlarge", "min_nodes": 0, "max_nodes": 5}}
    return {"project_name": project, "namespace": "dev", "provider": "aws", "terraform_state": {"type": "local"},
            "amazon_web_services": {"region": "us-east-1", "kubernetes_version": "1.34",
                                    "availability_zones": ["us-east-1a", "us-east-1b"], "node_groups": groups}}


def test_nebari_runs_nic_for_stages_02_and_03_and_later_stages_get_its_outputs(nic_binary, world, tmp_path, monkeypatch):
    monkeypatch.setenv("NIC_BINARY", nic_binary)
    for key, value in world.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KUBE_HOST", raising=False)

    stages = nebari_runner.ordered_stages([TerraformInfrastructure, TerraformKubernetesInitialize, Ingress],
                                          nebari_plugin.nebari_stage())
    assert [s.__name__ for s in stages] == ["NICInfrastructureStage", "NICKubernetesInitializeStage", "Ingress"]

    config = nebari_config(f"plug{os.getpid() % 10000}")
    nebari_runner.render(stages, tmp_path, config)
    assert (tmp_path / "stages/02-infrastructure/nebari-config.json").is_file()

    outputs = nebari_runner.deploy(stages, tmp_path, config)["stages/02-infrastructure"]
    credentials = outputs["kubernetes_credentials"]["value"]
    assert credentials["host"].startswith("https://") and credentials["token"]
    assert pathlib.Path(outputs["kubeconfig_filename"]["value"]) == tmp_path / "stages/02-infrastructure/kubeconfig"
    assert set(outputs["node_selectors"]) == {"general", "user", "worker"}
    assert (tmp_path / "stages/02-infrastructure/nic-state.json").is_file(), "a local terraform_state keeps NIC's state in the stage folder"
    assert Ingress.seen["outputs"] == outputs, "stage 04 runs inside stage 02's deploy and sees its outputs"
    assert Ingress.seen["KUBE_HOST"] == credentials["host"], "and the kubernetes provider's environment"
    assert "KUBE_HOST" not in os.environ, "the environment is restored afterwards"
    assert len(control(world, "GET", "/inventory?type=eks:cluster")["resources"]) == 1

    status = nebari_runner.destroy(stages, tmp_path, config)
    assert status == {"stages/02-infrastructure": True, "stages/03-kubernetes-initialize": True}
    assert control(world, "GET", "/inventory?type=eks:cluster")["resources"] == []
