"""An unexpected error is logged with the request path and never shown as a stack trace."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.django_db


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_log():
    # django.request does not propagate to the root logger, so listen to it directly.
    handler = Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.fixture
def failing_client(client, settings):
    settings.ROOT_URLCONF = "tests.helpers.failing_urls"
    client.raise_request_exception = False
    return client


def test_exception_in_a_view_is_logged_with_the_request_path(failing_client, request_log) -> None:
    failing_client.get("/boom/?page=2")
    assert [record.levelno for record in request_log] == [logging.ERROR]
    assert "/boom/" in request_log[0].getMessage()
    assert request_log[0].exc_info is not None


def test_exception_in_a_view_is_a_500_page_without_the_stack_trace(failing_client, request_log) -> None:
    response = failing_client.get("/boom/")
    content = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in content
    assert "hunter2" not in content
    assert "RuntimeError" not in content
