"""Read a streamed CSV export back as rows."""

from __future__ import annotations

import csv
import io


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
