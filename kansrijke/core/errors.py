"""The one kind of error a user sees: ``UserError``.

Every problem the app or the CLI reports to a person is a ``UserError`` (or a thin subclass named after the
feature, e.g. ``StoreError``, ``ActionError``): ``messages`` lists the problems as Dutch sentences (each one
stands on its own), ``places`` says per message where it applies (a form field, a configuration key, a column
or row; ``None`` when it applies to the whole), and ``kind`` lets callers branch (the store's ``"locked"``,
``"corrupt"``, ``"missing"``, ...; ``"stale"`` for an edit someone else overtook). ``lead`` is an optional
sentence that introduces the list (e.g. "config.yaml bevat 2 fout(en):").

The web shows it with ``web.show_error`` (escaped, one bullet per message); the CLI prints ``str(exc)`` on
stderr. Exceptions that never reach a person (e.g. a private ``_Unchanged`` used for a rollback) stay plain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class UserError(Exception):
    """A problem for a person to read, in Dutch: one or more ``messages``, optionally with their ``places``."""

    kind: str = "invalid"

    def __init__(
        self,
        messages: str | Iterable[str],
        *,
        kind: str | None = None,
        places: Sequence[str | None] | None = None,
        lead: str | None = None,
    ):
        self.messages: list[str] = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        self.places: list[str | None] = list(places) if places is not None else [None] * len(self.messages)
        if len(self.places) != len(self.messages):
            raise ValueError("places must give one place (or None) per message")
        if kind is not None:
            self.kind = kind
        self.lead = lead
        super().__init__(*self.messages)

    def lines(self) -> list[str]:
        """The plain-text lines a person reads: the lead, then the messages (bullets when there is a list)."""
        if self.lead is None and len(self.messages) == 1:
            return list(self.messages)
        return ([self.lead] if self.lead else []) + [f"- {m}" for m in self.messages]

    def __str__(self) -> str:
        return "\n".join(self.lines())
