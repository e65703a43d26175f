"""Impact analysis in the console: what the failure of one or more CIs takes down, who is
affected where, the likely root causes upstream, and the graph as inline SVG.

Start from a CI page (``?ci=CI-000123``) or from the CI list's picker (several ``ci``), or
type CI ids. The analysis is ``cmdb.impact.impact_for`` (the same as the API's).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.cmdb.classtree import chain_of, class_tree
from steward.cmdb.impact import Impact, impact_for
from steward.cmdb.selectors import class_list_for
from steward.console.access import render_page, staff_required
from steward.console.cmdb_graph import GraphNode, Layout, layout
from steward.core.errors import NotFound

GRAPH_LIMIT = 200
"""Impacted CIs drawn at most (the nearest first); the rest are counted as hidden."""
MAX_START = 50


class ImpactForm(forms.Form):
    cis = forms.CharField(
        label=_("Failed CIs"), max_length=2000,
        help_text=_("CI ids separated by spaces or commas, e.g. CI-000012 CI-000345"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def ci_ids(self) -> list[str]:
        ids = [p for p in re.split(r"[\s,;]+", self.cleaned_data["cis"].upper()) if p]
        return list(dict.fromkeys(ids))[:MAX_START]


def graph_of(user: Any, impact: Impact) -> Layout:
    """The start CIs (distance 0) and the impacted CIs shown, with the edges between them."""
    tree = class_tree()
    names = {c.code: c.display_name() for c in class_list_for(user=user)}
    rows = [(ci, 0) for ci in impact.start] + list(impact.impacted)
    start = {ci.pk for ci in impact.start}
    nodes = []
    for ci, distance in rows:
        family = chain_of(tree, ci.ci_class_id)[0][0]
        nodes.append(GraphNode(
            id=ci.pk, label=f"{ci.name}", title=f"{ci.ci_id} {ci.name} · {ci.ci_class}",
            family=names.get(family, family), status=ci.status, distance=distance,
            link=reverse("console:cmdb_ci", args=[ci.ci_id]), start=ci.pk in start,
        ))
    return layout(nodes, impact.edges)


@staff_required
def impact(request: HttpRequest) -> HttpResponse:
    """GET ``?ci=…`` (repeatable) or ``?cis=…``: the analysis; without either, the picker."""
    picked = [c.strip().upper() for c in request.GET.getlist("ci") if c.strip()]
    data = {"cis": " ".join(picked)} if picked else (request.GET if "cis" in request.GET
                                                        else None)
    form = ImpactForm(data)
    context: dict[str, Any] = {"form": form, "cmdb_tab": "impact"}
    status = 200
    if form.is_valid():
        try:
            result = impact_for(user=request.user, ci_ids=form.ci_ids(), limit=GRAPH_LIMIT)
        except NotFound as exc:
            form.add_error("cis", exc.message)
            status = 404
        else:
            context |= {
                "result": result,
                "graph": graph_of(request.user, result),
                "hidden": result.impacted_count - len(result.impacted),
            }
    return render_page(request, "console/cmdb/impact.html", context, section="cmdb",
                       status=status)
