"""The current request's id and path, available to services without passing the request around."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
request_path_var: ContextVar[str] = ContextVar("request_path", default="")
