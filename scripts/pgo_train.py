"""The workload a profile-guided build of the extension is trained on (`make build-prod`).

    python scripts/pgo_train.py            # about 20 s with an instrumented extension

Serves clinic calls of the load benchmark's generator (other seeds than any benchmark
measures) through the real proxy app in this process, against a `phiwall mock-upstream`
child: the request path (parse, checkpoints, masking, detection, encode) and both answer
paths (a JSON completion and a streamed one, rehydrated), then detects a few hundred of
their texts on their own, the way `phiwall scan` does. An instrumented extension
(`-Cprofile-generate`) writes its counters when the process exits; `llvm-profdata merge`
turns them into the profile the release build reads (`-Cprofile-use`), which lays out the
hot code together and straightens its branches: masking on a cold cache was ~14 % faster.

Exits 0, or 1 if a request was not answered 200 (the profile is then not worth using),
2 if the mock could not start.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # `benches`, when run as a script

from benches.load.conversation import generate  # noqa: E402
from benches.load.inproc import HOST, Unlimited, serve_one  # noqa: E402
from benches.load.processes import Servers, free_port, wait_ready  # noqa: E402

#: Seeds no benchmark measures (they use 500 and 10_005).
SEEDS = (31, 32)
#: Requests per answer mode.
COUNT = 600


async def train(upstream: str, db: Path) -> int:
    """Serve `COUNT` requests per answer mode and detect their texts; the number of
    requests not answered 200."""
    from phiwall import detect
    from phiwall.proxy.app import ProxyApp
    from phiwall.proxy.config import ProxySettings
    from phiwall.proxy.runtime import Runtime

    encode = msgspec.json.Encoder().encode
    settings = ProxySettings(upstream_url=upstream, db_path=str(db), access_log=False)
    runtime = await Runtime.start(settings)
    runtime.limiter = Unlimited()
    app = ProxyApp(runtime=runtime)
    path = f"/proxy/{runtime.default_agent.id}/v1/chat/completions"
    failed = 0
    try:
        for seed, stream in zip(SEEDS, (False, True), strict=True):
            for request in generate(seed, COUNT):
                body = encode(request.body(stream=stream, tag="x", session=request.call_id))
                failed += await serve_one(app, path, body) != 200
    finally:
        await runtime.close()
    for request in generate(SEEDS[0], COUNT // 2):
        detect(request.last_user_text)
    return failed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, Servers(Path(tmp)) as servers:
        port = free_port(HOST)
        command = [sys.executable, "-m", "phiwall", "mock-upstream", "--host", HOST]
        mock = servers.start("mock", [*command, "--port", str(port)], cwd=REPO)
        try:
            wait_ready(mock, f"http://{HOST}:{port}/health")
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 2
        failed = asyncio.run(train(f"http://{HOST}:{port}/v1", Path(tmp) / "phiwall.db"))
    if failed:
        print(f"pgo_train: {failed} requests were not answered 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
