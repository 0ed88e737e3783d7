"""The project documents itself inside its repository, and its documents agree with its Makefile."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_markdown_links_stay_inside_the_repository() -> None:
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)]+)\)", doc.read_text(encoding="utf-8")):
            if target.startswith("#"):
                continue
            assert "://" not in target, f"{doc.name} links outside the repository: {target}"
            resolved = (doc.parent / target.split("#", 1)[0]).resolve()
            assert resolved.is_relative_to(ROOT) and resolved.exists(), f"{doc.name}: broken link {target}"


def test_every_make_target_the_documents_name_exists() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE))
    files = [*DOCS, *sorted((ROOT / "infra").rglob("*.toml"))]
    for doc in files:
        for named in re.findall(r"`make ([a-z][a-z-]*)", doc.read_text(encoding="utf-8")):
            assert named in targets, f"{doc.relative_to(ROOT)} names `make {named}`, which the Makefile lacks"
