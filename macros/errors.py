"""The one error type editors see: where (file, line, id), what is wrong, and what to do."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


class SiteError(Exception):
    """A broken input (data file, page, macro call). Its message is the whole user interface."""

    def __init__(self, what: str, *, file: str | None = None, line: int | None = None,
                 item: str | None = None, hint: str | None = None):
        self.what, self.file, self.line, self.item, self.hint = what, file, line, item, hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.file or "?"
        if self.line:
            where += f":{self.line}"
        parts = [f"{where}: {self.what}"]
        if self.item:
            parts[0] = f"{where}: [{self.item}] {self.what}"
        if self.hint:
            parts.append(self.hint)
        return "; ".join(parts)


def did_you_mean(wrong: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean …?' hint for the closest valid id, or None when nothing is close."""
    close = difflib.get_close_matches(wrong, sorted(set(choices)), n=1, cutoff=0.6)
    if not close:
        return None
    if not wrong.isascii():          # a look-alike prints like the id it imitates: name what tells them apart
        from .names import difference
        return f"did you mean '{close[0]}'? (they differ by {difference(wrong, close[0])})"
    return f"did you mean '{close[0]}'?"

