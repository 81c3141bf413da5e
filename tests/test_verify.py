"""``acebind verify``: every sandbox record decodes; too strict bindings are caught."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from generator.generate.package import generate_files, write_package
from generator.schema.tree import read_tree
from generator.verify import EndpointReport, problems, verify_environment
from tests.conftest import Sandbox, SandboxStarter

ROOT = Path(__file__).resolve().parents[1]


def verify(
    sandbox: Sandbox, schemas: Path, generated: Path, env: str = "demo"
) -> list[EndpointReport]:
    return asyncio.run(
        verify_environment(
            read_tree(schemas), env, generated, sandbox.root, sandbox.auth
        )
    )


def test_every_record_of_the_sandbox_decodes_with_the_committed_bindings(
    sandbox: Sandbox,
) -> None:
    reports = verify(sandbox, ROOT / "schemas" / "demo", ROOT / "generated" / "demo")
    assert len(reports) == 17
    assert sum(r.records for r in reports) > 500
    assert [r.endpoint for r in reports if not r.ok] == []


def test_a_binding_that_is_too_strict_is_caught(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    schemas = tmp_path / "schemas" / "demo"
    shutil.copytree(ROOT / "schemas" / "demo", schemas)
    sales = schemas / "endpoints" / "sales.json"
    schema = json.loads(sales.read_text())
    schema["properties"]["SalesmanId"]["type"] = "integer"  # nulls do arrive
    sales.write_text(json.dumps(schema))
    generated = tmp_path / "generated" / "strict"
    write_package(generated, generate_files(read_tree(schemas), "strict"))
    reports = {r.endpoint: r for r in verify(sandbox, schemas, generated, "strict")}
    assert reports["sales"].failed > 0
    assert list(reports["sales"].problems) == [
        ("/SalesmanId", "null where integer was expected")
    ]
    assert all(r.ok for name, r in reports.items() if name != "sales")


def test_problems_name_the_pointer_and_the_type_never_the_value() -> None:
    schema = {
        "type": "object",
        "required": ["When"],
        "properties": {
            "When": {"type": "string", "format": "date"},
            "Lines": {"type": "array", "items": {"$ref": "#/$defs/Line"}},
        },
    }
    defs = {"Line": {"type": "object", "properties": {"Qty": {"type": "integer"}}}}
    found = problems(
        schema, {"When": "secret-value", "Lines": [{"Qty": 1}, {"Qty": "x"}]}, defs
    )
    assert found == [
        ("/When", "string not a date"),
        ("/Lines/1/Qty", "string where integer was expected"),
    ]
    assert "secret-value" not in repr(found)


def test_verify_command_reports_and_exits_by_outcome(sandbox: Sandbox) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    env = {"ACEBIND_DEMO_USERNAME": "demo-api", "ACEBIND_DEMO_PASSWORD": "demo-pass"}
    outcome = CliRunner().invoke(
        main,
        [
            "verify",
            "demo",
            "--url",
            sandbox.root,
            "--schemas",
            str(ROOT / "schemas" / "demo"),
            "--generated",
            str(ROOT / "generated" / "demo"),
        ],
        env=env,
    )
    assert outcome.exit_code == 0, outcome.output
    assert "0 did not decode" in outcome.output


def test_bindings_of_a_plain_crawl_survive_the_first_null_the_samples_never_showed(
    start_sandbox: SandboxStarter, tmp_path: Path
) -> None:
    # Without probes or a published schema, "no null sampled" proves nothing:
    # the crawl marks nullability unknown and the bindings read None safely.
    import httpx

    from generator.schema.tree import tree_files, write_tree
    from tests.crawl.test_crawl_sandbox import crawl

    with start_sandbox() as fresh:
        result = crawl(fresh.root, fresh.auth, published=False)
        schemas = tmp_path / "schemas" / "plain"
        write_tree(schemas, tree_files(result))
        notes = json.loads((schemas / "endpoints" / "customers.json").read_text())
        assert "nullable" in notes["properties"]["Notes"]["x-acebind"]["unknown"]
        generated = tmp_path / "generated" / "plain"
        write_package(generated, generate_files(read_tree(schemas), "plain"))
        body = {"CustomerId": 9100, "OrganizationName": "Null Notes Lda", "Notes": None}
        with httpx.Client(
            base_url=fresh.root, auth=fresh.auth, headers={"Accept": "application/json"}
        ) as http:
            reply = http.post("customers/", json=body)
            assert reply.status_code < 300, reply.text
            stored = http.get("customers/9100/").json()
        assert stored["Notes"] is None
        reports = verify(fresh, schemas, generated, "plain")
    assert [(r.endpoint, dict(r.problems)) for r in reports if not r.ok] == []
    assert sum(r.records for r in reports) > 500
