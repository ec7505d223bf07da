"""GraphiQL works on a closed network: every file it needs comes from our own server.

The browser is allowed to reach only the test server; any request to another host is
aborted and recorded. The page must still draw GraphiQL and run a query.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from schema import graphiql_assets
from tests.browser import chromium
from tests.live_server import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_cdn_file_is_installed_and_matches_its_integrity_hash():
    listed = graphiql_assets.assets()
    # strawberry's page names React, ReactDOM, GraphiQL (script and style), the explorer plugin
    # (script and style) and js-cookie: seven files.
    assert len(listed) == 7, [a.url for a in listed]
    assert graphiql_assets.installed(), "run `python -m schema.graphiql_assets` (make install does)"
    page = graphiql_assets.offline_page(graphiql_assets.page_template(), "/static/")
    assert "unpkg.com" not in page
    assert 'integrity="sha384-' in page  # the browser checks our copies too


def test_the_missing_files_notice_instead_of_a_cdn(tmp_path, monkeypatch):
    monkeypatch.setattr(graphiql_assets, "ASSET_DIR", tmp_path)
    page = graphiql_assets.offline_page(graphiql_assets.page_template(), "/static/")
    assert "unpkg.com" not in page
    assert "GraphiQL chưa được cài đặt" in page


def test_graphiql_draws_and_runs_a_query_with_no_network(org):
    foreign: list[str] = []
    with daphne_server({"GRAPHIQL": "true"}) as base, chromium() as browser:
        page = browser.new_page(locale="vi-VN")

        def only_our_server(route):
            if urlparse(route.request.url).netloc == urlparse(base).netloc:
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        page.route("**/*", only_our_server)
        response = page.goto(f"{base}/graphql/")
        assert response is not None and response.status == 200
        page.wait_for_selector(".graphiql-container", timeout=20_000)
        editor = page.locator(".graphiql-query-editor .CodeMirror").first
        editor.click()
        page.evaluate(
            "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ __typename }')"
        )
        page.click(".graphiql-execute-button")
        page.wait_for_function(
            "document.querySelector('.result-window') && "
            "document.querySelector('.result-window').innerText.includes('Query')",
            timeout=20_000,
        )
    assert foreign == [], foreign
