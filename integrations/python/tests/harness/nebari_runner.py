"""How Nebari drives stages: pick one stage per name (the highest priority), order by priority, render each into the
output directory, then deploy them nested (each later stage runs inside the earlier ones' deploy contexts) with a check
after each; destroy nests them the same way and tears down from the last stage back."""
import contextlib
import itertools
import pathlib
from typing import Any, Dict, List


def ordered_stages(*stage_lists: List[type]) -> List[type]:
    stages = sorted(itertools.chain.from_iterable(stage_lists), key=lambda s: s.priority)
    kept: List[type] = []
    seen = set()
    for stage in reversed(stages):
        if stage.name not in seen:
            kept.insert(0, stage)
            seen.add(stage.name)
    return kept


def render(stages: List[type], output_directory: pathlib.Path, config) -> None:
    for stage in stages:
        for path, content in stage(output_directory=output_directory, config=config).render().items():
            target = output_directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode() if isinstance(content, str) else content)


def deploy(stages: List[type], output_directory: pathlib.Path, config, inside=None) -> Dict[str, Any]:
    stage_outputs: Dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        for stage in stages:
            s = stage(output_directory=output_directory, config=config)
            stack.enter_context(s.deploy(stage_outputs, True))
            s.check(stage_outputs, True)
        if inside:
            inside(stage_outputs)
    return stage_outputs


def destroy(stages: List[type], output_directory: pathlib.Path, config) -> Dict[str, bool]:
    stage_outputs: Dict[str, Any] = {}
    status: Dict[str, bool] = {}
    with contextlib.ExitStack() as stack:
        for stage in stages:
            s = stage(output_directory=output_directory, config=config)
            stack.enter_context(s.destroy(stage_outputs, status))
    return status
