import re
import uuid

from ettervern.audit.context import request_id_var, request_path_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _clean(text: str) -> str:
    """PostgreSQL text cannot hold NUL; a path like /x/%00/ must still be auditable."""
    return text.replace("\x00", "")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed one from a proxy) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        tokens = (
            request_id_var.set(request.request_id),
            request_path_var.set(_clean(request.path)[:300]),
        )
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(tokens[0])
            request_path_var.reset(tokens[1])
        response["X-Request-ID"] = request.request_id
        return response
