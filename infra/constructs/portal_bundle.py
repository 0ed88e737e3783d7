"""The portal function's code asset, built at synth time without Docker or network.

The portal needs Jinja2 (and MarkupSafe), which the Powertools layer does not carry, and the
NL Design System CSS from ``node_modules`` (pinned in package-lock.json). CDK's local bundling
copies ``functions/``, those two packages from the environment that runs the synth (pure
Python: MarkupSafe's compiled speed-up is left out, it falls back to its Python code on arm64)
and the CSS into one asset, with the runtime's bytecode of all of it when the synth has the runtime's
interpreter (infra/constructs/bytecode.py). A region's own design-token file replaces the default theme.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

from infra.config import REPO_ROOT
from infra.constructs.bytecode import SKIP, add_bytecode, code_with_bytecode
from infra.constructs.function import FUNCTIONS_DIR

NODE_MODULES = REPO_ROOT / "node_modules"
VENDOR_CSS = {
    "components.css": NODE_MODULES / "@utrecht/component-library-css/dist/index.css",
    "theme.css": NODE_MODULES / "@utrecht/design-tokens/dist/theme.css",
}


def _package_dir(name: str) -> Path:
    origin = importlib.util.find_spec(name)
    if origin is None or origin.origin is None:
        raise ModuleNotFoundError(f"{name} is not installed: run `make install`")
    return Path(origin.origin).parent


@jsii.implements(ILocalBundling)
class PortalBundling:
    def __init__(self, runtime: str, theme_css: Path | None = None) -> None:
        self.runtime = runtime
        self.theme_css = theme_css

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_: Any) -> bool:
        out = Path(output_dir)
        shutil.copytree(FUNCTIONS_DIR, out, dirs_exist_ok=True, ignore=SKIP)
        for package in ("jinja2", "markupsafe"):
            shutil.copytree(_package_dir(package), out / package, dirs_exist_ok=True, ignore=SKIP)
        vendor = out / "portal" / "static" / "vendor"
        vendor.mkdir(parents=True, exist_ok=True)
        sources = {**VENDOR_CSS, **({"theme.css": self.theme_css} if self.theme_css else {})}
        for name, source in sources.items():
            if not source.is_file():
                raise FileNotFoundError(f"{source} is missing: run `npm ci` (make does) before the synth")
            shutil.copyfile(source, vendor / name)
        add_bytecode(out, self.runtime)
        return True


def portal_code(runtime: str, theme_css: Path | None = None) -> lambda_.Code:
    return code_with_bytecode(FUNCTIONS_DIR, runtime, PortalBundling(runtime, theme_css))
