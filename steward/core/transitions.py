"""Declare a state machine as a table of named actions and check actions against it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from steward.core.errors import InvalidTransition


@dataclass(frozen=True)
class Transition:
    """An action allowed from ``sources`` leading to ``target``."""

    sources: frozenset[str]
    target: str


class TransitionTable:
    """Maps action names to their allowed source states and their target state."""

    def __init__(self, table: Mapping[str, tuple[Iterable[str], str]]) -> None:
        self._table = {
            action: Transition(frozenset(sources), target)
            for action, (sources, target) in table.items()
        }

    @property
    def actions(self) -> list[str]:
        return list(self._table)

    def states(self) -> set[str]:
        found: set[str] = set()
        for transition in self._table.values():
            found |= transition.sources
            found.add(transition.target)
        return found

    def allowed(self, state: str) -> list[str]:
        return [action for action, t in self._table.items() if state in t.sources]

    def target(self, action: str, state: str) -> str:
        """Return the target of ``action`` from ``state`` or raise ``InvalidTransition``."""
        transition = self._table.get(action)
        if transition is None or state not in transition.sources:
            raise InvalidTransition(
                _("Action “%(action)s” is not allowed while the record is “%(state)s”.")
                % {"action": action, "state": state}
            )
        return transition.target
