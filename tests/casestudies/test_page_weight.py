"""The finder page with 20 results weighs under 150 KB compressed, everything included."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

BUILD = Path(settings.BASE_DIR) / "static" / "build"
# Everything the finder page loads: it uses no web fonts (system font stack) and no images
# but the favicon.
ASSETS = ["main.css", "js-enabled.js", "init.js", "finder.js", "govuk-frontend.min.js", "images/favicon.svg"]
BUDGET = 150 * 1024


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def test_finder_with_twenty_results_is_under_150_kb_compressed(client, library_of):
    if not (BUILD / "main.css").exists():
        pytest.skip("front-end assets not built: run `make assets`")
    library_of(25)
    response = client.get("/case-studies/")
    assert len(response.context["page_obj"].object_list) == 20
    sizes = {"HTML": gzipped(response.content)}
    sizes.update({name: gzipped((BUILD / name).read_bytes()) for name in ASSETS})
    total = sum(sizes.values())
    print(
        "finder page weight, gzip:", {k: f"{v / 1024:.1f} KB" for k, v in sizes.items()}, f"total {total / 1024:.1f} KB"
    )
    assert total < BUDGET
