"""GraphiQL without a CDN: its scripts and styles, installed from npm and served by us.

Strawberry's GraphiQL page loads React and GraphiQL from unpkg.com, so on a closed
government network it stays on "Loading…". The install step (`make install`, which runs
`python -m schema.graphiql_assets`) reads the page strawberry ships, fetches each
`https://unpkg.com/<package>@<version>/<path>` it names with `npm pack` (the same file
unpkg serves, from the npm registry), checks it against the page's own `integrity`
hash and keeps it under `schema/static/graphiql/`. At run time the page is served with
those addresses rewritten to our static files; the integrity attributes stay, so the
browser checks the bytes again. A strawberry upgrade that changes versions is picked up
by running the install step again.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ASSET_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
STATIC_PREFIX = "graphiql"

# src="https://unpkg.com/react@18.2.0/umd/react.production.min.js" integrity="sha384-…"
_ASSET = re.compile(
    r'(?:src|href)="(?P<url>https://unpkg\.com/(?P<package>(?:@[^/"]+/)?[^@/"]+)@(?P<version>[^/"]+)/'
    r'(?P<path>[^"]+))"\s+integrity="(?P<integrity>sha\d+-[^"]+)"'
)
_ANY_CDN = re.compile(r"https://unpkg\.com/[^\"']+")


@dataclass(frozen=True)
class Asset:
    url: str
    package: str
    version: str
    path: str
    integrity: str

    @property
    def relative(self) -> str:
        """Where the file lives under the static prefix, e.g. `react@18.2.0/umd/react.production.min.js`."""
        return f"{self.package}@{self.version}/{self.path}"

    @property
    def file(self) -> Path:
        return ASSET_DIR / self.relative


class AssetError(RuntimeError):
    """An asset could not be fetched or did not match its integrity hash."""


def page_template() -> str:
    """The GraphiQL page strawberry ships (the one its views render)."""
    from strawberry.http.ides import get_graphql_ide_html

    return get_graphql_ide_html(graphql_ide="graphiql")


def assets(page: str | None = None) -> list[Asset]:
    found = [Asset(**m.groupdict()) for m in _ASSET.finditer(page if page is not None else page_template())]
    return list({a.url: a for a in found}.values())


def matches_integrity(data: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, data).digest()
    return base64.b64encode(digest).decode() == expected


def installed(page: str | None = None) -> bool:
    return all(a.file.is_file() and matches_integrity(a.file.read_bytes(), a.integrity) for a in assets(page))


def _fetch(asset: Asset, work: Path) -> bytes:
    """The file from the package's npm tarball (what unpkg serves)."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is needed to install GraphiQL's files (Debian package `npm`).")
    tarball_dir = work / asset.package.replace("/", "_")
    tarball_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "pack", f"{asset.package}@{asset.version}", "--silent", "--pack-destination", str(tarball_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise AssetError(f"npm pack {asset.package}@{asset.version} failed: {result.stderr.strip()}")
    tarball = next(tarball_dir.glob("*.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(f"package/{asset.path}")
        if member is None:
            raise AssetError(f"{asset.package}@{asset.version} has no {asset.path}")
        return member.read()


def install(page: str | None = None) -> list[Asset]:
    """Fetch what is missing; return the assets written. Safe to run again."""
    written = []
    with tempfile.TemporaryDirectory(prefix="onemst-graphiql-") as tmp:
        for asset in assets(page):
            if asset.file.is_file() and matches_integrity(asset.file.read_bytes(), asset.integrity):
                continue
            data = _fetch(asset, Path(tmp))
            if not matches_integrity(data, asset.integrity):
                raise AssetError(f"{asset.relative} does not match its integrity hash {asset.integrity}")
            asset.file.parent.mkdir(parents=True, exist_ok=True)
            asset.file.write_bytes(data)
            written.append(asset)
    return written


MISSING_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>GraphiQL</title>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>GraphiQL chưa được cài đặt</h1>
<p>Các tệp của GraphiQL chưa có trên máy chủ. Chạy <code>make install</code> (cần <code>npm</code>)
rồi tải lại trang. API GraphQL tại địa chỉ này vẫn hoạt động.</p>
<h2 lang="en">GraphiQL is not installed</h2>
<p lang="en">GraphiQL's files are not on the server. Run <code>make install</code> (it needs
<code>npm</code>) and reload. The GraphQL API at this address works regardless.</p>
</body></html>"""


def offline_page(page: str, static_url: str) -> str:
    """`page` with every unpkg address replaced by our static copy; a notice if files are missing."""
    if not installed(page):
        return MISSING_PAGE
    base = static_url.rstrip("/") + "/" + STATIC_PREFIX + "/"
    for asset in assets(page):
        page = page.replace(asset.url, base + asset.relative)
    if _ANY_CDN.search(page):  # an address we could not map: better a notice than a hang
        return MISSING_PAGE
    return page


def main() -> int:
    try:
        written = install()
    except (AssetError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"GraphiQL assets: {exc}", file=sys.stderr)
        return 1
    total = len(assets())
    print(f"GraphiQL assets: {len(written)} fetched, {total - len(written)} already in place ({ASSET_DIR})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
