"""A Nebari stage plugin: NIC instead of Terraform for `02-infrastructure` and `03-kubernetes-initialize`.

Nebari keeps, of the stages that share a name, the one with the highest priority, and runs stages in priority order;
so these two, at 21 and 31, replace Nebari's own (20 and 30) and keep their place before stage 04 (40). Stage 02 runs
NIC for both stages (NIC applies stage 03's objects in the same graph); stage 03 is left with nothing to do.
Installed next to nebari (`pip install ./integrations/python`), it registers through the `nebari` entry point.
"""
import contextlib
import json
import os
import pathlib
import sys
from typing import Any, Dict, Iterator

from nebari.hookspecs import NebariStage, hookimpl

from .adapter import NICAdapter
from .errors import NICError

# Environment variables Terraform's kubernetes/helm providers read in later stages, per kubernetes_credentials key
# (the same mapping Nebari's own stage 02 sets up while later stages run).
KUBERNETES_PROVIDER_ENV = {
    "config_path": "KUBE_CONFIG_PATH", "config_context": "KUBE_CTX", "host": "KUBE_HOST", "token": "KUBE_TOKEN",
    "username": "KUBE_USER", "password": "KUBE_PASSWORD", "client_certificate": "KUBE_CLIENT_CERT_DATA",
    "client_key": "KUBE_CLIENT_KEY_DATA", "cluster_ca_certificate": "KUBE_CLUSTER_CA_CERT_DATA",
}


@contextlib.contextmanager
def kubernetes_provider_env(credentials: Dict[str, Any]) -> Iterator[None]:
    """Sets the KUBE_* variables for the stages that run inside this one, and restores the environment after."""
    wanted = {KUBERNETES_PROVIDER_ENV[k]: str(v) for k, v in credentials.items() if k in KUBERNETES_PROVIDER_ENV and v is not None}
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class NICInfrastructureStage(NebariStage):
    name = "02-infrastructure"
    priority = 21

    @property
    def stage_dir(self) -> pathlib.Path:
        return pathlib.Path(self.output_directory) / "stages" / self.name

    @property
    def config_file(self) -> pathlib.Path:
        # JSON is YAML, so NIC reads the configuration Nebari validated without a YAML library here.
        return self.stage_dir / "nebari-config.json"

    def render(self) -> Dict[pathlib.Path, str]:
        return {pathlib.Path("stages", self.name, "nebari-config.json"): self._config_json()}

    @contextlib.contextmanager
    def deploy(self, stage_outputs: Dict[str, Dict[str, Any]], disable_prompt: bool = False):
        self._write_config()
        paths = self._paths()
        NICAdapter().deploy(str(self.config_file), **paths)
        self.set_outputs(stage_outputs, NICAdapter.outputs(paths["outputs"]))
        with kubernetes_provider_env(self._credentials(stage_outputs)):
            yield

    def check(self, stage_outputs: Dict[str, Dict[str, Any]], disable_prompt: bool = False) -> bool:
        status = NICAdapter().status(str(self.config_file), state=self._paths().get("state"))
        if not status.get("healthy"):
            print(f"ERROR: After stage={self.name} NIC reports the deployment is not healthy: {status.get('issues')}")
            sys.exit(1)
        print(f"After stage={self.name} kubernetes cluster successfully provisioned (NIC)")
        return True

    @contextlib.contextmanager
    def destroy(self, stage_outputs: Dict[str, Dict[str, Any]], status: Dict[str, bool]):
        self._write_config()
        paths = self._paths()
        if pathlib.Path(paths["outputs"]).exists():
            self.set_outputs(stage_outputs, NICAdapter.outputs(paths["outputs"]))
        with kubernetes_provider_env(self._credentials(stage_outputs)):
            yield
        try:
            NICAdapter().destroy(str(self.config_file), state=paths.get("state"))
            status["stages/" + self.name] = True
        except NICError as err:
            print(f"ERROR: stage={self.name} destroy failed: {err}")
            status["stages/" + self.name] = False

    def set_outputs(self, stage_outputs: Dict[str, Dict[str, Any]], outputs: Dict[str, Any]) -> None:
        stage_outputs.setdefault("stages/" + self.name, {}).update(outputs)

    def _paths(self) -> Dict[str, str]:
        """Where NIC writes for this stage. A remote terraform_state keeps NIC's state in the stage-01 storage (NIC's default)."""
        paths = {"outputs": str(self.stage_dir / "outputs.json"), "kubeconfig": str(self.stage_dir / "kubeconfig")}
        if self._config_dict().get("terraform_state", {}).get("type", "remote") != "remote":
            paths["state"] = str(self.stage_dir / "nic-state.json")
        return paths

    def _credentials(self, stage_outputs: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
        return stage_outputs.get("stages/" + self.name, {}).get("kubernetes_credentials", {}).get("value", {})

    def _config_dict(self) -> Dict[str, Any]:
        config = self.config
        if hasattr(config, "model_dump"):  # Nebari's pydantic schema.Main
            return config.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dict(config)

    def _config_json(self) -> str:
        return json.dumps(self._config_dict(), indent=2) + "\n"

    def _write_config(self) -> None:
        self.stage_dir.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(self._config_json())


class NICKubernetesInitializeStage(NebariStage):
    """Stage 03's objects are applied by NIC in stage 02's run; this stage only keeps Nebari's stage list intact."""

    name = "03-kubernetes-initialize"
    priority = 31

    def check(self, stage_outputs: Dict[str, Dict[str, Any]], disable_prompt: bool = False) -> bool:
        return True

    @contextlib.contextmanager
    def destroy(self, stage_outputs: Dict[str, Dict[str, Any]], status: Dict[str, bool]):
        yield
        status["stages/" + self.name] = True


@hookimpl
def nebari_stage():
    return [NICInfrastructureStage, NICKubernetesInitializeStage]
