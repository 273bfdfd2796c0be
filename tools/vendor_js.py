"""Vendor the explorer's graph library (cytoscape.js) from the npm registry.

The explorer page must work offline, so the library is shipped inside the package under
``tracer/api/static/vendor/``. This script fetches the pinned release with ``npm pack`` (the
ordinary npm client), checks the tarball against the pinned integrity hash, and copies the
minified build and its LICENSE. Run ``python tools/vendor_js.py`` to (re)vendor, or
``python tools/vendor_js.py --check`` to verify that the vendored files match the pinned release.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "cytoscape"
VERSION = "3.34.4"
INTEGRITY = "sha512-msY99tMY8iWTg+sIPGfSqDcPNOt4xcj+v/K/7qUFaCUxxlqnMkUYLBjRUzn9W5CU/R2hrmtJa5+UtovrEM2ctg=="  # noqa: E501
#: Files taken from the tarball (paths inside it) and their names in the vendor folder.
FILES = {"package/dist/cytoscape.min.js": "cytoscape.min.js", "package/LICENSE": "LICENSE"}
DEST = Path(__file__).resolve().parent.parent / "tracer" / "api" / "static" / "vendor" / PACKAGE


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(workdir: Path) -> Path:
    """Download the pinned tarball with ``npm pack`` and verify its integrity hash."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to vendor the explorer's library (Debian: apt-get install npm)")
    subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(workdir), "--silent"],
        check=True,
        capture_output=True,
    )
    tarball = workdir / f"{PACKAGE}-{VERSION}.tgz"
    if _integrity(tarball.read_bytes()) != INTEGRITY:
        sys.exit(f"{tarball.name}: integrity mismatch with the pinned {INTEGRITY[:20]}…")
    return tarball


def extract(tarball: Path) -> dict[str, bytes]:
    """The vendored files' contents, by their vendor-folder name."""
    contents: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member, name in FILES.items():
            handle = archive.extractfile(member)
            if handle is None:
                sys.exit(f"{member} missing from {tarball.name}")
            contents[name] = handle.read()
    return contents


def main() -> None:
    """Vendor (default) or verify (``--check``) the pinned library."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        contents = extract(fetch(Path(tmp)))
    if args.check:
        stale = [
            n
            for n, data in contents.items()
            if not (DEST / n).is_file() or (DEST / n).read_bytes() != data
        ]
        if stale:
            sys.exit(f"vendored files differ from {PACKAGE}@{VERSION}: {', '.join(stale)}")
        print(f"{PACKAGE}@{VERSION}: vendored files match")
        return
    DEST.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (DEST / name).write_bytes(data)
    (DEST / "VERSION").write_text(f"{PACKAGE}@{VERSION}\n{INTEGRITY}\n")
    print(f"vendored {PACKAGE}@{VERSION} into {DEST}")


if __name__ == "__main__":
    main()
