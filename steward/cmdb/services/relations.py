"""Relations between CIs: add and remove, with history on both ends' timelines."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import history
from steward.cmdb.models import (
    ChangeAction,
    CiStatus,
    ConfigurationItem,
    Relation,
    RelationKind,
    impact_ends,
)
from steward.cmdb.services.common import require_ci_editor
from steward.core.errors import Conflict, ValidationFailed

NO_LOOPS = frozenset({RelationKind.DEPENDS_ON, RelationKind.RUNS_ON, RelationKind.HOSTED_IN})
"""Kinds that may not close a loop in the impact graph (``connects_to`` and ``used_by`` may:
network rings are real, and the impact walk visits each CI once)."""


def relation_add(
    *,
    actor: Any,
    source: ConfigurationItem,
    kind: str,
    target: ConfigurationItem,
    note: str = "",
    change_number: str | None = None,
) -> Relation:
    """Record ``source <kind> target`` (see ``cmdb.models.relations`` for the direction).

    Preconditions: the actor may edit ``source``; neither end is retired; not a self-relation;
    not already recorded (``Conflict``); a ``depends_on``/``runs_on``/``hosted_in`` relation
    may not close a loop. Raises ``NotPermitted``, ``Conflict``, ``ValidationFailed``.
    """
    require_ci_editor(actor, source)
    if kind not in RelationKind.values:
        raise ValidationFailed(_("Unknown relation kind %(kind)s.") % {"kind": kind}, field="kind")
    if source.pk == target.pk:
        raise ValidationFailed(_("A CI cannot be related to itself."), field="target")
    if CiStatus.RETIRED in (source.status, target.status):
        raise ValidationFailed(_("Retired CIs take no new relations."), field="target")
    duplicate = Conflict(
        _("%(a)s already %(kind)s %(b)s.")
        % {"a": source.ci_id, "kind": RelationKind(kind).label, "b": target.ci_id}
    )
    with transaction.atomic():
        if Relation.objects.filter(source=source, target=target, kind=kind).exists():
            raise duplicate
        provider, dependant = impact_ends(kind, source.pk, target.pk)
        closes_loop = (
            kind in NO_LOOPS
            and provider is not None
            and dependant is not None
            and _depends_on(provider, dependant)
        )
        if closes_loop:
            raise ValidationFailed(
                _("%(b)s already depends on %(a)s; that would make a loop.")
                % {"a": source.ci_id, "b": target.ci_id},
                field="target",
            )
        try:
            with transaction.atomic():
                relation = Relation.objects.create(
                    source=source,
                    target=target,
                    kind=kind,
                    provider_id=provider,
                    dependant_id=dependant,
                    note=note,
                    created_by=actor if actor is not None and actor.is_authenticated else None,
                )
        except IntegrityError:
            raise duplicate from None
        audit_record(
            actor=actor,
            obj=relation,
            action="create",
            changes={"source": source.ci_id, "kind": kind, "target": target.ci_id, "note": note},
        )
        history.record(
            ci=source,
            other_ci=target,
            relation=relation,
            action=ChangeAction.RELATION_ADD,
            changes={f"relations.{kind}": [None, target.ci_id]},
            actor=actor,
            change_number=change_number,
        )
        return relation


def _depends_on(ci: int, other: int) -> bool:
    """Does ``ci`` depend on ``other``, directly or not (as this transaction sees it)?

    Walks upstream from ``ci``, one query per level. Two transactions that each close half
    of a loop at the same moment can both pass; the impact walks visit each CI once, so such
    a loop is harmless.
    """
    seen, frontier = {ci}, {ci}
    while frontier:
        providers = set(
            Relation.objects.filter(dependant_id__in=frontier).values_list("provider_id", flat=True)
        )
        if other in providers:
            return True
        frontier = providers - seen
        seen |= frontier
    return False


def relation_remove(*, actor: Any, relation: Relation, change_number: str | None = None) -> None:
    """Delete a relation; its history rows stay. Preconditions: the actor may edit the source."""
    source, target = relation.source, relation.target
    require_ci_editor(actor, source)
    with transaction.atomic():
        audit_record(
            actor=actor,
            obj=relation,
            action="delete",
            changes={"source": source.ci_id, "kind": relation.kind, "target": target.ci_id},
        )
        history.record(
            ci=source,
            other_ci=target,
            relation=relation,
            action=ChangeAction.RELATION_REMOVE,
            changes={f"relations.{relation.kind}": [target.ci_id, None]},
            actor=actor,
            change_number=change_number,
        )
        relation.delete()
