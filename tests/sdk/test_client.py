"""The HTTP core against a fake transport: retries, Idempotency-Key, errors, answers."""

import httpx
import pytest
from dravo_sdk import Dravo, errors


def scripted(*answers):
    """A transport answering `answers` in turn and recording the requests it got."""
    seen = []

    def handle(request):
        seen.append(request)
        return answers[len(seen) - 1]

    return httpx.MockTransport(handle), seen


def test_a_429_is_retried_after_retry_after_with_the_same_idempotency_key(monkeypatch):
    waits = []
    monkeypatch.setattr("dravo_sdk.client.time.sleep", waits.append)
    limited = httpx.Response(429, headers={"Retry-After": "7"}, json={
        "type": "client_error", "errors": [{"code": "throttled", "detail": "Slow down.", "attr": None}]})
    transport, seen = scripted(limited, httpx.Response(202, json={"id": "post_1", "status": "processing"}))
    client = Dravo("http://dravo.test", "dra_test_k", transport=transport)

    accepted = client.posts.create(text="hi", account_ids=["acc_1"], idempotency_key="launch-1")

    assert accepted.id == "post_1" and accepted.status == "processing"
    assert waits == [7.0]
    assert [r.headers["Idempotency-Key"] for r in seen] == ["launch-1", "launch-1"]
    assert seen[0].headers["Authorization"] == "Bearer dra_test_k"


def test_a_post_without_a_key_gets_one_kept_across_a_5xx_retry(monkeypatch):
    monkeypatch.setattr("dravo_sdk.client.time.sleep", lambda seconds: None)
    transport, seen = scripted(httpx.Response(503), httpx.Response(202, json={"id": "post_2"}))
    Dravo("http://dravo.test", "k", transport=transport).posts.create(text="hi", account_ids=["acc_1"])
    keys = {r.headers["Idempotency-Key"] for r in seen}
    assert len(seen) == 2 and len(keys) == 1 and keys.pop().startswith("sdk-")


def test_retries_spent_raise_rate_limited_with_retry_after(monkeypatch):
    monkeypatch.setattr("dravo_sdk.client.time.sleep", lambda seconds: None)
    limited = httpx.Response(429, headers={"Retry-After": "2"}, json={
        "type": "client_error", "errors": [{"code": "throttled", "detail": "Slow down.", "attr": None}]})
    transport, seen = scripted(limited, limited)
    client = Dravo("http://dravo.test", "k", transport=transport, max_retries=1)
    with pytest.raises(errors.RateLimited) as raised:
        client.whoami()
    assert len(seen) == 2 and raised.value.retry_after == 2.0 and raised.value.code == "throttled"


def test_a_long_retry_after_is_capped_by_max_retry_wait(monkeypatch):
    waits = []
    monkeypatch.setattr("dravo_sdk.client.time.sleep", waits.append)
    transport, _ = scripted(httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json={}))
    Dravo("http://dravo.test", "k", transport=transport, max_retry_wait=5).whoami()
    assert waits == [5]


def test_an_error_body_becomes_the_exception_of_its_status_with_its_items():
    body = {"type": "validation_error", "errors": [{"code": "blank", "detail": "Required.", "attr": "text"}]}
    transport, _ = scripted(httpx.Response(400, json=body))
    with pytest.raises(errors.ValidationError) as raised:
        Dravo("http://dravo.test", "k", transport=transport).posts.validate(text="", account_ids=[])
    assert raised.value.errors == [errors.ErrorItem("blank", "Required.", "text")]
    assert str(raised.value) == "HTTP 400 validation_error: text: Required."


def test_an_html_error_page_still_raises_a_server_error():
    transport, _ = scripted(httpx.Response(502, text="<html>Bad gateway</html>"))
    with pytest.raises(errors.ServerError) as raised:
        Dravo("http://dravo.test", "k", transport=transport, max_retries=0).health()
    assert raised.value.status_code == 502 and raised.value.code == "http_error"


def test_a_csv_answer_is_returned_as_text_and_a_204_as_none():
    transport, seen = scripted(httpx.Response(200, text="text,accounts\n", headers={"Content-Type": "text/csv"}),
                               httpx.Response(204))
    client = Dravo("http://dravo.test", "k", transport=transport)
    assert client.posts.import_template() == "text,accounts\n"
    assert client.posts.delete("post/../x") is None
    assert seen[1].url.raw_path == b"/v1/posts/post%2F..%2Fx"


def test_a_client_needs_a_key(monkeypatch):
    monkeypatch.delenv("DRAVO_API_KEY", raising=False)
    with pytest.raises(ValueError, match="API key"):
        Dravo("http://dravo.test")
