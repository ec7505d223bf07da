"""A JavaScript client (graphql-js + graphql-ws from npm) against a real Daphne (issue 12,
point 15): its documents are validated against the committed `schema.graphql`, then it
queries, mutates and subscribes with an API token. Any error fails the test.

`node_modules` is installed with `npm ci` from the lock file when missing (or older than
the lock file); `.ci/run` installs Node and npm from Debian.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from modules.org.models import ApiToken
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
    script = (CLIENT / "client.mjs").read_text(encoding="utf-8")
    broken = script.replace("totalCount results { id number", "totalCount results { id noSuchField number", 1)
    assert broken != script
    copy = CLIENT / "client-broken.test.mjs"
    copy.write_text(broken, encoding="utf-8")
    try:
        done = subprocess.run(
            ["node", copy.name, "http://127.0.0.1:9", "token"],
            cwd=CLIENT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        copy.unlink()
    assert done.returncode == 1 and "does not fit schema.graphql" in done.stderr, done.stderr
