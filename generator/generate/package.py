"""Render a schema tree into an installable package: ``generated/<env>/``.

The files are rendered in memory, written into a staging folder, formatted
with ruff (the generated code passes the same formatter and linter as the
tool's own), read back, and swapped in at once. The same schemas give the
same bytes.
"""

from __future__ import annotations

import difflib
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__
from generator.errors import GenerateError
from generator.fsutil import replacing_tree, write_text
from generator.generate import ir as ir_module
from generator.generate.ir import EndpointIR, PackageIR, package_ir
from generator.generate.models import render_classes
from generator.schema.tree import SchemaTree


def _templates() -> Path:
    """templates/ of the checkout, or the copy an installed acebind carries."""
    checkout = Path(__file__).resolve().parent.parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    import acebind_templates  # type: ignore[import-not-found]

    return Path(acebind_templates.__path__[0])


TEMPLATES = _templates()
RUNTIME_EXPORTS = [
    "UNSET",
    "ApiError",
    "AuthenticationError",
    "Changes",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "ServerError",
    "StoresAceError",
    "ThrottledError",
    "TransportError",
    "UnexpectedResponseError",
    "Unset",
    "UpsertReport",
    "ValidationError",
]
STAMP = ".acebind-stamp"


def doctext(value: Any) -> str:
    """Server text inside a docstring: one line, escaped, bounded."""
    text = " ".join(str(value).split())
    text = "".join(c for c in text if c.isprintable())
    text = text.replace("\\", "\\\\").replace('"', "'")
    return text[:80]


def markdown(value: Any) -> str:
    text = " ".join(str(value).split())[:120]
    return (
        "".join(c for c in text if c.isprintable())
        .replace("|", "\\|")
        .replace("`", "'")
    )


def environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    env.filters["doctext"] = doctext
    env.filters["docline"] = doctext
    env.filters["md"] = markdown
    env.globals["decode_expr"] = ir_module.decode_expr
    env.globals["encode_expr"] = ir_module.encode_expr

    return env


def _models_module(
    env: jinja2.Environment,
    package: PackageIR,
    endpoint: EndpointIR,
    template_dir: Path,
) -> str:
    classes = render_classes(endpoint, template_dir / "models")
    exports = sorted(
        [m.name for m in endpoint.models]
        + [e.name for e in endpoint.enums]
        + [m.decoder for m in endpoint.models]
        + [m.encoder for m in endpoint.models]
    )
    return env.get_template("package/models.py.jinja").render(
        endpoint=endpoint,
        package=package.package,
        environment=package.environment,
        classes=classes,
        exports=exports,
    )


def render(
    tree: SchemaTree, env_name: str, template_dir: Path = TEMPLATES
) -> dict[str, str]:
    """Every file of the package, relative path to text, before formatting."""
    package = package_ir(tree, env_name)
    env = environment(template_dir)
    root = package.package
    common = {
        "package": root,
        "environment": package.environment,
        "endpoints": package.endpoints,
    }
    files = {
        "pyproject.toml": env.get_template("package/pyproject.toml.jinja").render(
            distribution=package.distribution, version=__version__, **common
        ),
        "README.md": env.get_template("package/README.md.jinja").render(
            distribution=package.distribution,
            any_store=any(
                p.wire == "store" for e in package.endpoints for p in e.params
            ),
            **common,
        ),
        f"{root}/__init__.py": env.get_template("package/__init__.py.jinja").render(
            runtime_exports=RUNTIME_EXPORTS, **common
        ),
        f"{root}/py.typed": "",
        f"{root}/_runtime.py": _runtime_source(template_dir),
        f"{root}/client.py": env.get_template("package/client.py.jinja").render(
            **common
        ),
        f"{root}/models/__init__.py": '"""One models module per endpoint."""\n',
        f"{root}/endpoints/__init__.py": '"""One module per endpoint."""\n',
    }
    for endpoint in package.endpoints:
        files[f"{root}/models/{endpoint.module}.py"] = _models_module(
            env, package, endpoint, template_dir
        )
        files[f"{root}/endpoints/{endpoint.module}.py"] = env.get_template(
            "package/endpoint.py.jinja"
        ).render(
            endpoint=endpoint,
            record=endpoint.record,
            page_size=_page_size(endpoint),
            **common,
        )

    return files


def _page_size(endpoint: EndpointIR) -> dict[str, Any] | None:
    sizes = endpoint.page_size
    if not sizes or not sizes.get("param"):
        return None
    return sizes


def format_files(files: dict[str, str]) -> dict[str, str]:
    """The files as ruff formats and fixes them (imports sorted, unused dropped)."""
    with tempfile.TemporaryDirectory(prefix="acebind-format-") as scratch:
        root = Path(scratch)
        for relative, text in files.items():
            write_text(root / relative, text)
        python = [p for p in files if p.endswith(".py")]
        formatted = [p for p in files if p.endswith((".py", ".md"))]
        _ruff(["check", "--fix-only", "--quiet"], root, python)
        _ruff(["format", "--quiet"], root, formatted)
        return {
            relative: (root / relative).read_text(encoding="utf-8")
            for relative in files
        }


def _ruff(args: list[str], root: Path, paths: list[str]) -> None:
    command = [
        sys.executable,
        "-m",
        "ruff",
        *args,
        "--config",
        str(root / "pyproject.toml"),
    ]
    done = subprocess.run(
        [*command, *paths], cwd=root, capture_output=True, text=True, check=False
    )
    if done.returncode not in (0, 1):
        raise GenerateError(
            f"ruff {args[0]} failed on the generated code: {done.stderr}"
        )


def fingerprint(tree: SchemaTree, template_dir: Path = TEMPLATES) -> str:
    """What the package depends on: schemas, templates, acebind itself."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(tree.path.rglob("*.json")):
        digest.update(path.relative_to(tree.path).as_posix().encode())
        digest.update(path.read_bytes())
    for path in sorted(template_dir.rglob("*")):
        if path.is_file() and _generated(path.relative_to(template_dir)):
            digest.update(path.relative_to(template_dir).as_posix().encode())
            digest.update(path.read_bytes())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def generate_files(tree: SchemaTree, env_name: str) -> dict[str, str]:
    files = format_files(render(tree, env_name))
    files[STAMP] = fingerprint(tree) + "\n"
    return files


def read_package(path: Path) -> dict[str, str]:
    if not path.is_dir():
        return {}
    return {
        p.relative_to(path).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(path.rglob("*"))
        if p.is_file() and _generated(p.relative_to(path))
    }


def _generated(relative: Path) -> bool:
    """Files acebind writes, not caches that tools leave beside them."""
    if relative.as_posix() == STAMP:
        return True
    return not any(
        part.startswith(".") or part == "__pycache__" for part in relative.parts
    )


def up_to_date(tree: SchemaTree, target: Path) -> bool:
    """The committed package was generated from exactly these inputs."""
    stamp = target / STAMP
    return stamp.is_file() and stamp.read_text().strip() == fingerprint(tree)


def write_package(target: Path, files: dict[str, str]) -> None:
    with replacing_tree(target) as staging:
        for relative, text in sorted(files.items()):
            write_text(staging / relative, text)


def short_diff(old: dict[str, str], new: dict[str, str], limit: int = 60) -> str:
    lines: list[str] = []
    for relative in sorted(set(old) | set(new)):
        if old.get(relative) == new.get(relative):
            continue
        lines += difflib.unified_diff(
            old.get(relative, "").splitlines(),
            new.get(relative, "").splitlines(),
            f"committed/{relative}",
            f"generated/{relative}",
            lineterm="",
            n=1,
        )
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"... {len(lines) - limit} more diff lines")
    return "\n".join(shown)


def _runtime_source(template_dir: Path) -> str:
    path = template_dir / "package" / "_runtime.py"
    if not path.is_file():
        raise GenerateError(f"the runtime module {path} is missing")
    return path.read_text(encoding="utf-8")
