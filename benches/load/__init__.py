"""phiwall's load benchmark: the same voice-agent requests sent directly to a mock model,
through a bare passthrough proxy (the floor) and through phiwall, interleaved in one run.

Run `python -m benches.load` from the repository root; see README.md beside this file.
"""
