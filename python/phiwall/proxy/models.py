"""`GET <base>/v1/models`: the upstream's model list, or a local one if it fails.

LiveKit calls it to prewarm a connection; answering from the upstream also warms
phiwall's pooled connection to it. When the upstream cannot answer, the agent's
allowed models (or a generic entry) are listed so the caller can carry on. An agent
that restricts its models always lists exactly those.
"""

from __future__ import annotations

import msgspec

from phiwall.proxy.runtime import Runtime
from phiwall.store import Agent

FALLBACK_MODELS = ("gpt-4o-mini", "gpt-4o")

_encode = msgspec.json.Encoder().encode


async def list_models(runtime: Runtime, agent: Agent) -> bytes:
    """The JSON body for the agent's model list; never raises.

    Costs one upstream round trip (bounded by the connect timeout plus 5 s).
    """
    upstream = await runtime.upstream.get_models(agent.upstream_url, agent.upstream_key)
    if upstream is None or agent.allowed_models:
        return local_models(agent)
    return upstream


def local_models(agent: Agent) -> bytes:
    """OpenAI's list shape with the agent's allowed models, or generic ones."""
    names = agent.allowed_models or FALLBACK_MODELS
    return _encode(
        {
            "object": "list",
            "data": [
                {"id": name, "object": "model", "created": 0, "owned_by": "phiwall"}
                for name in names
            ],
        }
    )
