"""Offset pages for long lists: the rows of one page and whether there is a next one, without
counting the whole table (one extra row is fetched instead)."""

from dataclasses import dataclass

PAGE_SIZE = 50
MAX_PAGE = 100_000


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def page_number(request, param: str = "side") -> int:
    value = request.GET.get(param, "1")
    return min(int(value), MAX_PAGE) if value.isdigit() and 0 < len(value) < 7 else 1


def offset_page(qs, request, size: int = PAGE_SIZE) -> Page:
    number = max(1, page_number(request))
    start = (number - 1) * size
    rows = list(qs[start : start + size + 1])
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)


def search_query(request, param: str = "q") -> str:
    """A search string from the query: NUL cannot reach PostgreSQL; never part of a name."""
    return request.GET.get(param, "").replace("\x00", "").strip()[:100]
