"""CDK app: one regional stack, configured by a TOML file, checked by cdk-nag on every synth.

    npx cdk synth  -c config=infra/regions/<region>.toml
    npx cdk deploy -c config=infra/regions/<region>.toml

Without ``-c config=...`` the example region is synthesised (offline, no AWS account needed).
Run as a module from the repository root (cdk.json does): ``python -m infra.app``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment

from infra.config import REPO_ROOT, RegionConfig, load_config
from infra.nag import add_nag
from infra.stacks.regional_stack import RegionalStack

CDK_JSON = REPO_ROOT / "cdk.json"


def cdk_json_context() -> dict[str, Any]:
    """The feature flags of cdk.json, so that tests synthesise exactly what the CLI does."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


def build(app: App, config: RegionConfig) -> RegionalStack:
    """Add the region's stack to ``app`` and run cdk-nag on the whole app."""
    env = Environment(account=config.account or os.environ.get("CDK_DEFAULT_ACCOUNT"), region=config.aws_region)
    stack = RegionalStack(app, config.stack_name, config=config, env=env)
    add_nag(app)
    return stack


def build_app(
    config: RegionConfig, *, outdir: str | Path | None = None, context: dict[str, Any] | None = None
) -> tuple[App, RegionalStack]:
    """A fresh app with the cdk.json feature flags (for tests and scripts)."""
    app = App(
        outdir=str(outdir) if outdir is not None else None,
        context=cdk_json_context() if context is None else context,
    )
    return app, build(app, config)


def main() -> None:
    app = App()
    build(app, load_config(app.node.try_get_context("config")))
    app.synth()


if __name__ == "__main__":
    main()
