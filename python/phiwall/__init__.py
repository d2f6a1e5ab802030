"""phiwall: a PHI firewall for voice AI.

`detect(text)` finds protected health information in one utterance;
`phiwall._native.Rehydrator` puts original values back in place of tokens.
"""

from importlib.metadata import PackageNotFoundError, version

from phiwall.detect import Span, detect

try:
    __version__ = version("phiwall")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = ["Span", "__version__", "detect"]
