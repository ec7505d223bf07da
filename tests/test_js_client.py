"""A JavaScript client (graphql-js + graphql-ws from npm) against a real Daphne (issue 12,
point 15): its documents are validated against the committed `schema.graphql`, then it
queries, mutates and subscribes with an API token. Any error fails the test.

The client's code is type-checked (`tsc --checkJs`) against TypeScript types that
graphql-codegen generates from `schema.graphql` and its `documents.graphql`.
`node_modules` is installed with `npm ci` from the lock file when missing (or older than
the lock file), from the npm registry only; `.ci/run` installs Node and npm from Debian.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from modules.engine.models import ApiToken
from tests.live_server import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = Path(__file__).resolve().parent / "js_client"


def _installed() -> None:
    npm = shutil.which("npm")
    assert npm and shutil.which("node"), "Node.js and npm are needed (bash .ci/run packages installs them)"
    marker = CLIENT / "node_modules" / ".package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= (CLIENT / "package-lock.json").stat().st_mtime:
        return
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_js_client_queries_mutates_and_subscribes(org) -> None:
    from modules.engine import registry

    _installed()
    generated = _codegen()  # the client runs as type-checked against the committed contract
    assert generated.returncode == 0, generated.stdout + generated.stderr
    _, token = ApiToken.issue(org.head_a, "js client")
    with daphne_server() as base:
        done = subprocess.run(
            ["node", "client.mjs", base, token],
            cwd=CLIENT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    task = registry.model_for("tasks.Task").objects.get(pk=summary["created"])
    assert task.state == "paused" and task.priority == "high" and task.owner_unit_id == org.province_a.pk
    assert summary["event"]["node"]["state"] == "PAUSED" and summary["assignable"] >= 1


def test_js_client_refuses_a_document_outside_the_contract(tmp_path: Path) -> None:
    """The check that guards the client is real: a field the schema lacks stops it before any call."""
    _installed()
    documents = (CLIENT / "documents.graphql").read_text(encoding="utf-8")
    broken = documents.replace("results { id number", "results { id noSuchField number", 1)
    assert broken != documents
    copy = tmp_path / "broken.graphql"
    copy.write_text(broken, encoding="utf-8")
    done = subprocess.run(
        ["node", "client.mjs", "http://127.0.0.1:9", "token"],
        cwd=CLIENT,
        env={**os.environ, "ONEMST_DOCUMENTS": str(copy)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and "does not fit schema.graphql" in done.stderr, done.stderr
    # graphql-codegen refuses it too: no types are generated for a document off the contract
    generated = _codegen(documents=copy)
    assert generated.returncode != 0 and "noSuchField" in generated.stdout + generated.stderr


# --- TypeScript types generated from schema.graphql (graphql-codegen), checked by tsc ----------


def _codegen(documents: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`graphql-codegen --config codegen.yml`: generated/schema.ts and generated/operations.ts."""
    env = dict(os.environ)
    if documents is not None:
        env["ONEMST_DOCUMENTS"] = str(documents)
    return subprocess.run(
        [str(CLIENT / "node_modules" / ".bin" / "graphql-codegen"), "--config", "codegen.yml"],
        cwd=CLIENT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _tsc(config: str = "tsconfig.json") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLIENT / "node_modules" / ".bin" / "tsc"), "-p", config],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_js_client_type_checks_against_types_generated_from_the_schema() -> None:
    """Types come from the committed schema.graphql and the client's documents; the client's
    code (JSDoc) type-checks against them, and a use written for the v0.2.0 strings
    (an event's action as "updated") is a type error, not a silent mismatch at run time."""
    _installed()
    generated = _codegen()
    assert generated.returncode == 0, generated.stdout + generated.stderr
    operations = (CLIENT / "generated" / "operations.ts").read_text(encoding="utf-8")
    assert "export type ChangedSubscription" in operations and "'UPDATED'" in operations
    checked = _tsc()
    assert checked.returncode == 0, checked.stdout + checked.stderr

    script = (CLIENT / "client.mjs").read_text(encoding="utf-8")
    stale = script.replace('event.action === "UPDATED"', 'event.action === "updated"', 1)
    assert stale != script
    # Named per process: CI's two runs share this folder at the same time.
    copy = CLIENT / f"client-stale-{os.getpid()}.test.mjs"
    config = CLIENT / f"tsconfig-stale-{os.getpid()}.test.json"
    copy.write_text(stale, encoding="utf-8")
    config.write_text(
        json.dumps({"extends": "./tsconfig.json", "include": [copy.name, "generated/*.ts"]}), encoding="utf-8"
    )
    try:
        failed = _tsc(config.name)
    finally:
        copy.unlink()
        config.unlink()
    assert failed.returncode != 0 and "TS2367" in failed.stdout, failed.stdout + failed.stderr
    assert '"updated"' in failed.stdout
