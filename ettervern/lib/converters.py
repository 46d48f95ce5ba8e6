from django.urls import register_converter


class IdConverter:
    """A database id in URLs: digits only, and short enough never to overflow a bigint.

    A malformed or huge id is then simply an unknown URL (404), not a database error.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
