"""JSON text made elsewhere (by PostgreSQL), carried through DRF and written out as it is."""

from __future__ import annotations

import json
import uuid
from typing import Any

from rest_framework import renderers


class PreEncodedJSON:
    """A JSON document as text, for :class:`JSONRenderer` to place without decoding it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def decoded(self) -> Any:
        return json.loads(self.text)


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer; a top-level value that is :class:`PreEncodedJSON` is written as it is.

    Each such value is rendered first as a unique placeholder string, which is then replaced by
    the text: the rest of the answer (count, links) is encoded exactly as DRF encodes it.
    """

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if not isinstance(data, dict) or not any(isinstance(value, PreEncodedJSON) for value in data.values()):
            return super().render(data, accepted_media_type, renderer_context)
        texts: dict[str, str] = {}
        with_placeholders = {}
        for key, value in data.items():
            if isinstance(value, PreEncodedJSON):
                placeholder = f"pre-encoded-{uuid.uuid4().hex}"
                texts[placeholder] = value.text
                value = placeholder
            with_placeholders[key] = value
        rendered = super().render(with_placeholders, accepted_media_type, renderer_context)
        for placeholder, text in texts.items():
            rendered = rendered.replace(json.dumps(placeholder).encode(), text.encode(), 1)
        return rendered
