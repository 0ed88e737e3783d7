"""CDK app: a regional stack and/or the national stack, each configured by a TOML file, checked by cdk-nag.

    npx cdk synth  -c config=infra/regions/<region>.toml          # one region (Verwijsindex-<code>)
    npx cdk deploy -c config=infra/regions/<region>.toml
    npx cdk synth  -c national=infra/national/<name>.toml         # the national index (Verwijsindex-National)
    npx cdk deploy -c national=infra/national/<name>.toml

Both contexts together put both stacks in the app. Without either, the example region and the example
national index are synthesised together (offline, no AWS account needed), so that a plain
``cdk synth`` checks the whole app; deploy always names its file, so it deploys exactly one stack.
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
from infra.national_config import NationalConfig, load_national_config
from infra.stacks.national_stack import NationalStack
from infra.stacks.regional_stack import RegionalStack

CDK_JSON = REPO_ROOT / "cdk.json"


def cdk_json_context() -> dict[str, Any]:
    """The feature flags of cdk.json, so that tests synthesise exactly what the CLI does."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


def _environment(account: str | None, region: str) -> Environment:
    return Environment(account=account or os.environ.get("CDK_DEFAULT_ACCOUNT"), region=region)


def add_region(app: App, config: RegionConfig) -> RegionalStack:
    """Add a region's stack to ``app`` (without cdk-nag: call ``add_nag`` once per app)."""
    return RegionalStack(app, config.stack_name, config=config, env=_environment(config.account, config.aws_region))


def add_national(app: App, config: NationalConfig) -> NationalStack:
    """Add the national stack to ``app`` (without cdk-nag: call ``add_nag`` once per app)."""
    return NationalStack(app, config.stack_name, config=config, env=_environment(config.account, config.aws_region))


def build(app: App, config: RegionConfig) -> RegionalStack:
    """Add the region's stack to ``app`` and run cdk-nag on the whole app."""
    stack = add_region(app, config)
    add_nag(app)
    return stack


def build_national(app: App, config: NationalConfig) -> NationalStack:
    """Add the national stack to ``app`` and run cdk-nag on the whole app."""
    stack = add_national(app, config)
    add_nag(app)
    return stack


def _app(outdir: str | Path | None, context: dict[str, Any] | None) -> App:
    return App(
        outdir=str(outdir) if outdir is not None else None,
        context=cdk_json_context() if context is None else context,
    )


def build_app(
    config: RegionConfig, *, outdir: str | Path | None = None, context: dict[str, Any] | None = None
) -> tuple[App, RegionalStack]:
    """A fresh app with the cdk.json feature flags and one region (for tests and scripts)."""
    app = _app(outdir, context)
    return app, build(app, config)


def build_national_app(
    config: NationalConfig, *, outdir: str | Path | None = None, context: dict[str, Any] | None = None
) -> tuple[App, NationalStack]:
    """A fresh app with the cdk.json feature flags and the national stack (for tests and scripts)."""
    app = _app(outdir, context)
    return app, build_national(app, config)


def main() -> None:
    app = App()
    region_file = app.node.try_get_context("config")
    national_file = app.node.try_get_context("national")
    if region_file is None and national_file is None:
        add_region(app, load_config())
        add_national(app, load_national_config())
    if region_file is not None:
        add_region(app, load_config(region_file))
    if national_file is not None:
        add_national(app, load_national_config(national_file))
    add_nag(app)
    app.synth()


if __name__ == "__main__":
    main()
