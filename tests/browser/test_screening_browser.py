"""The explorer's "Screen a file" tab and export buttons in Chromium: a workbook uploaded, the
screened workbook downloaded and read back; the owners of an enterprise downloaded as CSV."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from tests.browser.test_explorer_browser import login, search_enterprise_profile
from tests.fixtures.graph_builder import resident_id
from tests.fixtures.story import STORY, Served

BAD = STORY.liable[:-1] + ("0" if STORY.liable[-1] != "0" else "1")


def bidders(path: Path) -> Path:
    rows = [
        {
            "证件类型": None,
            "证件号码": None,
            "统一社会信用代码": STORY.debtor,
            "名称": "债务建材有限公司",
        },
        {
            "证件类型": None,
            "证件号码": None,
            "统一社会信用代码": STORY.supplier,
            "名称": "别的公司",
        },
        {"证件类型": "居民身份证", "证件号码": BAD, "统一社会信用代码": None, "名称": "张三"},
        {
            "证件类型": "居民身份证",
            "证件号码": resident_id(999),
            "统一社会信用代码": None,
            "名称": None,
        },
    ]
    pd.DataFrame(rows).to_excel(path, index=False)
    return path


def test_screen_a_file_and_download_the_results(page: Any, served: Served, tmp_path: Path) -> None:
    login(page, served)
    page.click(".tabs button[data-tab=screen]")
    page.set_input_files("#screen-file", str(bidders(tmp_path / "bidders.xlsx")))
    page.fill("#screen-as-of", "2025-01-01")
    with page.expect_download() as caught:
        page.click("#screen-form button[type=submit]")
    download = caught.value
    assert download.suggested_filename == "screened.xlsx"
    found = pd.read_excel(download.path(), sheet_name="results", dtype=str).fillna("")
    assert list(found["verdict"]) == ["RESTRICTED", "CLEAR", "INVALID", "NOT_FOUND"]
    assert list(found["name_check"])[:2] == ["MATCH", "NAME_MISMATCH"]
    assert BAD not in download.path().read_bytes().decode("latin-1")
    page.wait_for_selector("#screen-status:has-text('restricted 1')")


def test_owners_download_as_csv(page: Any, served: Served) -> None:
    login(page, served)
    search_enterprise_profile(page, STORY.listed)
    with page.expect_download() as caught:
        page.click("#detail .exports button[data-format=csv]")
    data = Path(caught.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    owners = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert "控股集团有限公司" in set(owners["subject.name"])
    # As the view shows them: an investigator sees full numbers (docs/API.md, Roles).
    assert STORY.owner in data.decode("utf-8-sig")
