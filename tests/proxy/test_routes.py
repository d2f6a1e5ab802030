"""Hand-rolled routing: every documented shape, and nothing else."""

from __future__ import annotations

import pytest

from phiwall.errors import MethodNotAllowed, NotFound
from phiwall.proxy.routes import Endpoint, Route, match


@pytest.mark.parametrize(
    ("method", "path", "route"),
    [
        ("POST", "/proxy/agt_1/v1/chat/completions", Route(Endpoint.CHAT, agent_id="agt_1")),
        ("POST", "/proxy/agt_1/chat/completions", Route(Endpoint.CHAT, agent_id="agt_1")),
        ("POST", "/proxy/agt_1/v1/chat/completions/", Route(Endpoint.CHAT, agent_id="agt_1")),
        ("GET", "/proxy/agt_1/v1/models", Route(Endpoint.MODELS, agent_id="agt_1")),
        ("GET", "/proxy/agt_1/models", Route(Endpoint.MODELS, agent_id="agt_1")),
        (
            "POST",
            "/agents/custom/s/call-9/v1/chat/completions",
            Route(Endpoint.CHAT, session_id="call-9"),
        ),
        ("GET", "/agents/custom/s/call-9/v1/models", Route(Endpoint.MODELS, session_id="call-9")),
        ("GET", "/health", Route(Endpoint.HEALTH)),
    ],
)
def test_known_routes(method: str, path: str, route: Route) -> None:
    assert match(method, path) == route


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/proxy",
        "/proxy/agt_1",
        "/proxy//v1/chat/completions",
        "/proxy/agt_1/v2/chat/completions",
        "/proxy/agt_1/v1/v1/chat/completions",
        "/proxy/agt_1/v1/completions",
        "/agents/custom/s/x/v1/embeddings",
        "/agents/custom/x/s/v1/chat/completions",
        "/healthz",
    ],
)
def test_unknown_paths_are_404(path: str) -> None:
    with pytest.raises(NotFound):
        match("POST", path)


def test_wrong_method_is_405_with_allow() -> None:
    with pytest.raises(MethodNotAllowed) as caught:
        match("GET", "/proxy/agt_1/v1/chat/completions")
    assert caught.value.status == 405
    assert caught.value.headers == {"allow": "POST"}
