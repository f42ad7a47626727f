"""The NebariStage base class and the hookimpl marker, with Nebari's signatures."""
import contextlib
import pathlib
from typing import Any, Dict


def hookimpl(function):
    function.nebari_hookimpl = True
    return function


class NebariStage:
    name: str = None
    priority: int = None

    def __init__(self, output_directory: pathlib.Path, config):
        self.output_directory = output_directory
        self.config = config

    def render(self) -> Dict[str, str]:
        return {}

    @contextlib.contextmanager
    def deploy(self, stage_outputs: Dict[str, Dict[str, Any]], disable_prompt: bool = False):
        yield

    def check(self, stage_outputs: Dict[str, Dict[str, Any]], disable_prompt: bool = False) -> bool:
        pass

    @contextlib.contextmanager
    def destroy(self, stage_outputs: Dict[str, Dict[str, Any]], status: Dict[str, bool]):
        yield
