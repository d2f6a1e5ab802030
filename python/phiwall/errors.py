"""phiwall's error hierarchy, each error knowing its OpenAI-shaped answer.

Every failure a client can see is a `PhiwallError`: it carries the HTTP status and
the `type`/`code`/`param` of OpenAI's error body. Messages never contain request
content, so they are safe to log and to return.
"""

from __future__ import annotations

import msgspec


class ErrorDetail(msgspec.Struct, omit_defaults=False):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorBody(msgspec.Struct):
    error: ErrorDetail


_encode = msgspec.json.Encoder().encode


class PhiwallError(Exception):
    """Base class: an error answered to the client in OpenAI's shape."""

    status: int = 500
    type: str = "server_error"
    code: str | None = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.headers = headers or {}

    def body(self) -> bytes:
        """The JSON body `{"error": {"message", "type", "param", "code"}}`."""
        detail = ErrorDetail(self.message, self.type, self.param, self.code)
        return _encode(ErrorBody(detail))


class InvalidRequest(PhiwallError):
    """400: the body is not JSON, or not a chat-completions request."""

    status = 400
    type = "invalid_request_error"
    code = "invalid_request"


class BodyTooLarge(PhiwallError):
    """413: the body is over the configured limit."""

    status = 413
    type = "invalid_request_error"
    code = "body_too_large"


class BadSignature(PhiwallError):
    """401: the agent requires a signature and this one is missing, stale or wrong."""

    status = 401
    type = "authentication_error"
    code = "bad_signature"


class AgentNotFound(PhiwallError):
    """404: no agent has this id."""

    status = 404
    type = "invalid_request_error"
    code = "agent_not_found"


class NotFound(PhiwallError):
    """404: no route here."""

    status = 404
    type = "invalid_request_error"
    code = "not_found"


class MethodNotAllowed(PhiwallError):
    """405: the route exists, the method does not."""

    status = 405
    type = "invalid_request_error"
    code = "method_not_allowed"


class ModelNotAllowed(PhiwallError):
    """422: the agent does not allow this model."""

    status = 422
    type = "invalid_request_error"
    code = "model_not_allowed"


class RateLimited(PhiwallError):
    """429: the agent's token bucket is empty; `Retry-After` says when to come back."""

    status = 429
    type = "rate_limit_error"
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float) -> None:
        seconds = max(1, int(-(-retry_after // 1)))  # whole seconds, rounded up
        super().__init__(message, headers={"retry-after": str(seconds)})
        self.retry_after = retry_after


class MaskingFailed(PhiwallError):
    """500: masking could not guarantee a PHI-free body; nothing was forwarded."""

    status = 500
    type = "server_error"
    code = "masking_failed"


class UpstreamError(PhiwallError):
    """502: the upstream failed or answered with an error (passed through as is)."""

    status = 502
    type = "upstream_error"
    code = "upstream_error"


class UpstreamTimeout(PhiwallError):
    """504: the upstream did not connect or answer in time."""

    status = 504
    type = "upstream_error"
    code = "upstream_timeout"


class InternalError(PhiwallError):
    """500: any other failure inside phiwall; nothing was forwarded."""
