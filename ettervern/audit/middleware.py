import uuid

from ettervern.audit.context import request_id_var, request_path_var


def _clean(text: str) -> str:
    """PostgreSQL text cannot hold NUL; a path like /x/%00/ must still be auditable."""
    return text.replace("\x00", "")


class RequestIdMiddleware:
    """Give every request an id of its own for the audit log.

    The id is always made here. A client's ``X-Request-ID`` header is ignored: it is input
    anyone can repeat, and audit rows that share an id are treated as one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
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
