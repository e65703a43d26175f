"""The CMDB in the console: the CI list (filters, search, paging, export) and a CI's page.

Reads go through ``cmdb.selectors`` (staff and auditors read, requesters get nothing); the
buttons a page shows come from ``CI_TRANSITIONS`` and ``cmdb.permissions``, the same two
sources the services check. Writes are in ``views/cmdb_edit.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from steward.cmdb import permissions, selectors
from steward.cmdb.classtree import class_tree, definitions_of
from steward.cmdb.export import ci_export
from steward.cmdb.models import ConfigurationItem, Relation, RelationKind
from steward.console.access import render_page, staff_required
from steward.console.cmdb_create_forms import (
    AssetCreateForm,
    GroupCreateForm,
    GroupMembersForm,
)
from steward.console.cmdb_forms import (
    CiFilterForm,
    RelationAddForm,
    choice_label,
    label_of,
)
from steward.identity import selectors as identity_selectors
from steward.identity.models import Person

PAGE_SIZE = 50
HISTORY_SIZE = 100

INVERSE = {
    RelationKind.DEPENDS_ON: gettext_lazy("depended on by"),
    RelationKind.RUNS_ON: gettext_lazy("runs"),
    RelationKind.HOSTED_IN: gettext_lazy("hosts"),
    RelationKind.CONNECTS_TO: gettext_lazy("connected from"),
    RelationKind.USED_BY: gettext_lazy("uses"),
    RelationKind.BACKUP_OF: gettext_lazy("backed up by"),
}
"""How a relation reads from its target's side."""


def class_choices(user: Any) -> list[tuple[str, str]]:
    """Classes as a tree (children indented under their parent), for filters and pickers."""
    classes = selectors.class_list_for(user=user)
    children: dict[int | None, list[Any]] = defaultdict(list)
    for ci_class in classes:
        children[ci_class.parent_id].append(ci_class)
    result: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for ci_class in sorted(children[parent], key=lambda c: c.code):
            result.append((ci_class.code, "\u2003" * depth + ci_class.display_name()))
            walk(ci_class.pk, depth + 1)

    walk(None, 0)
    return result


def team_choices(user: Any) -> list[tuple[str, str]]:
    return [(t.code, t.display_name())
            for t in identity_selectors.team_list_for(user=user).order_by("code")]


def filter_form(request: HttpRequest) -> CiFilterForm:
    return CiFilterForm(
        request.GET or None, classes=class_choices(request.user),
        teams=team_choices(request.user),
    )


def filtered_cis(request: HttpRequest, form: CiFilterForm) -> Any:
    """The visible CIs matching the list's filters (all visible CIs if the form is invalid)."""
    filters = form.cleaned_data if form.is_valid() else {}
    return selectors.ci_list_for(
        user=request.user,
        **{k: v for k, v in filters.items() if v not in ("", None)},
    )


@staff_required
def ci_list(request: HttpRequest) -> HttpResponse:
    """Every CI the user may see, filtered; 50 a page, ordered by CI id (an index)."""
    form = filter_form(request)
    page_obj = Paginator(filtered_cis(request, form).order_by("ci_id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page(request, "console/cmdb/ci_list.html", {
        "filter_form": form, "page_obj": page_obj,
        "can_import": permissions.can_import(request.user),
        "can_create": permissions.can_import(request.user),
    }, partial="console/cmdb/_ci_rows.html", section="cmdb")


@staff_required
def ci_export_view(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV or XLSX, in the import's field names (re-importable)."""
    form = filter_form(request)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    filters = form.cleaned_data if form.is_valid() else {}
    content = ci_export(
        user=request.user, file_format=file_format,
        **{k: v for k, v in filters.items() if v not in ("", None)},
    )
    content_type = (
        "text/csv; charset=utf-8" if file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cis.{file_format}"'
    return response


@dataclass
class AttributeRow:
    key: str
    label: str
    value: Any
    display: str
    link: str = ""
    required: bool = False


def attribute_rows(ci: ConfigurationItem) -> list[AttributeRow]:
    """The class's attributes (inherited first) with the CI's values, labelled."""
    definitions = definitions_of(ci.ci_class, class_tree())
    people = Person.objects.in_bulk([
        v for s in definitions if s["type"] == "person"
        and isinstance(v := ci.attributes.get(s["key"]), int)
    ])
    rows = []
    for spec in definitions:
        value = ci.attributes.get(spec["key"])
        display = "" if value is None else str(value)
        link = ""
        if value is not None and spec["type"] == "choice":
            display = choice_label(spec, value)
        elif value is not None and spec["type"] == "person":
            person = people.get(value)
            display = person.display_name() if person else display
        elif value is not None and spec["type"] == "reference":
            link = str(value)
        rows.append(AttributeRow(spec["key"], label_of(spec), value, display, link,
                                 bool(spec.get("required"))))
    return rows


@dataclass
class RelationGroup:
    label: str
    outgoing: bool
    relations: list[tuple[Relation, ConfigurationItem, bool]] = field(default_factory=list)
    """(relation, the CI at the other end, may the user remove it)"""


def relation_groups(user: Any, ci: ConfigurationItem) -> list[RelationGroup]:
    """Relations at either end of ``ci``, grouped by kind and direction, read from ``ci``."""
    groups: dict[tuple[str, bool], RelationGroup] = {}
    for relation in selectors.relation_list_for(user=user, ci=ci).order_by("kind", "id"):
        outgoing = relation.source_id == ci.pk
        kind = RelationKind(relation.kind)
        label = str(kind.label) if outgoing else str(INVERSE[kind])
        group = groups.setdefault((relation.kind, outgoing), RelationGroup(label, outgoing))
        other = relation.target if outgoing else relation.source
        group.relations.append(
            (relation, other, permissions.can_edit_ci(user, relation.source))
        )
    return sorted(groups.values(), key=lambda g: (not g.outgoing, g.label))


@staff_required
def ci_page(request: HttpRequest, ci_id: str) -> HttpResponse:
    """A CI: header, attributes, relations, redundancy group, history, asset and licences."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    return render_ci_page(request, ci)


def render_ci_page(
    request: HttpRequest, ci: ConfigurationItem, status: int = 200, **forms: Any
) -> HttpResponse:
    """The CI page; ``forms`` replaces the blank forms of the page (a form with its errors)."""
    can_edit = permissions.can_edit_ci(request.user, ci)
    history = list(
        selectors.history_for(user=request.user, ci=ci)[:HISTORY_SIZE + 1]
    )
    group = ci.redundancy_group
    members = list(group.members.select_related("ci_class").order_by("ci_id")) if group else []
    asset = getattr(ci, "asset", None)
    blank: dict[str, Any] = {
        "group_form": GroupCreateForm(teams=team_choices(request.user), initial={
            "support_team": ci.support_team.code if ci.support_team else ""})
        if can_edit and group is None else None,
        "members_form": GroupMembersForm(initial={
            "members": " ".join(m.ci_id for m in members)})
        if group is not None and permissions.can_edit_group(request.user, group) else None,
        "asset_form": AssetCreateForm(initial={"name": ci.name})
        if asset is None and permissions.can_manage_assets(request.user) else None,
    }
    return render_page(request, "console/cmdb/ci.html", {
        "ci": ci,
        "attributes": attribute_rows(ci),
        "relation_groups": relation_groups(request.user, ci),
        "group": group,
        "group_members": members,
        "history": history[:HISTORY_SIZE],
        "history_more": len(history) > HISTORY_SIZE,
        "asset": asset,
        "installations": list(ci.licences.select_related("licence").order_by("licence__code")),
        "can_edit": can_edit,
        "actions": ci.allowed_actions() if can_edit else [],
        "action_labels": ACTION_LABELS,
        "relation_form": RelationAddForm() if can_edit else None,
        **blank, **forms,
    }, section="cmdb", status=status)


ACTION_LABELS = {
    "put_in_use": gettext_lazy("Put in use"),
    "start_maintenance": gettext_lazy("Start maintenance"),
    "retire": gettext_lazy("Retire"),
}
