"""Parent/child links, resolving a parent's children, and merging duplicates: what is kept,
and every refusal leaving both records as they were."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.core.errors import BusinessRuleViolation, InvalidTransition, NotPermitted
from steward.incidents import services
from steward.incidents.models import Comment, IncidentLink
from steward.incidents.services import links
from steward.incidents.tests.conftest import audit_entries, state_of
from steward.testing import factories
from steward.workitems.selectors import attachments_for
from steward.workitems.services import attachment_add

pytestmark = pytest.mark.django_db


def test_a_child_is_linked_to_its_parent_and_audited_on_both(incident_in, agent):
    parent, child = incident_in("in_progress"), incident_in("new")

    link = links.incident_link_child(actor=agent, child=child, parent=parent)

    assert (link.source_id, link.target_id, link.kind) == (child.pk, parent.pk, "child_of")
    assert audit_entries(child)[-1].changes == {"kind": "child_of", "target": parent.number}
    assert audit_entries(parent)[-1].changes == {"child": child.number}


def refused_link(agent, child, parent):
    before = (state_of(child), state_of(parent), IncidentLink.objects.count())
    with pytest.raises(BusinessRuleViolation) as error:
        links.incident_link_child(actor=agent, child=child, parent=parent)
    assert (state_of(child), state_of(parent), IncidentLink.objects.count()) == before
    return error.value.code


def test_link_refusals_change_nothing(incident_in, agent):
    a, b, c = incident_in("new"), incident_in("new"), incident_in("new")
    closed = incident_in("closed")
    links.incident_link_child(actor=agent, child=b, parent=a)
    links.incident_link_child(actor=agent, child=c, parent=b)

    assert refused_link(agent, a, a) == "link_self"
    assert refused_link(agent, a, closed) == "link_parent_closed"
    assert refused_link(agent, b, c) == "link_has_parent"
    assert refused_link(agent, a, c) == "link_cycle"


def test_linking_needs_someone_working_the_child(incident_in, network_agent):
    parent, child = incident_in("new"), incident_in("new")
    with pytest.raises(NotPermitted):
        links.incident_link_child(actor=network_agent, child=child, parent=parent)
    assert IncidentLink.objects.count() == 0


def test_unlinking_removes_the_parent(incident_in, agent):
    parent, child = incident_in("new"), incident_in("new")
    links.incident_link_child(actor=agent, child=child, parent=parent)

    links.incident_unlink_parent(actor=agent, child=child)

    assert IncidentLink.objects.count() == 0
    assert audit_entries(child)[-1].action == "unlink"


def test_resolving_the_parent_resolves_the_open_children_with_its_resolution(
    incident_in, agent, admin
):
    parent = incident_in("in_progress")
    open_child, done_child = incident_in("in_progress"), incident_in("resolved")
    other_team = incident_in("new")
    other_team.team = factories.team(code="OTHER")
    other_team.save(update_fields=["team"])
    for child in (open_child, done_child, other_team):
        links.incident_link_child(actor=admin, child=child, parent=parent)
    parent = services.incident_resolve(
        actor=agent,
        incident=parent,
        resolution_code="workaround_provided",
        resolution_note="切换备用线路",
    )

    results = links.incident_resolve_children(actor=agent, parent=parent)

    assert [(r.number, r.done, r.code) for r in results] == [
        (open_child.number, True, ""),
        (other_team.number, False, "not_permitted"),
    ]
    open_child.refresh_from_db()
    other_team.refresh_from_db()
    assert (open_child.status, open_child.resolution_code) == ("resolved", "workaround_provided")
    assert open_child.resolution_note == f"Resolved with {parent.number}: 切换备用线路"
    assert other_team.status == "new"


def test_children_wait_for_the_parent_to_be_resolved(incident_in, agent):
    parent, child = incident_in("in_progress"), incident_in("new")
    links.incident_link_child(actor=agent, child=child, parent=parent)
    with pytest.raises(BusinessRuleViolation) as error:
        links.incident_resolve_children(actor=agent, parent=parent)
    assert error.value.code == "parent_not_resolved"
    child.refresh_from_db()
    assert child.status == "new"


def test_merging_keeps_the_conversation_and_links_both_ways(incident_in, agent, requester):
    survivor = incident_in("in_progress")
    other = factories.person(name="另一位店员")
    duplicate = incident_in("new", requester=other)
    services.incident_comment(actor=other, incident=duplicate, body="屏幕黑了", public=True)
    services.incident_comment(actor=agent, incident=duplicate, body="同一故障", public=False)
    attachment_add(
        actor=other,
        record=duplicate,
        upload=SimpleUploadedFile("photo.jpg", b"\xff\xd8jpeg", "image/jpeg"),
    )

    services.incident_merge(actor=agent, duplicate=duplicate, into=survivor)

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.resolution_code) == ("closed", "duplicate")
    assert duplicate.resolution_note == f"Merged into {survivor.number}."
    link = IncidentLink.objects.get()
    assert (link.source_id, link.target_id, link.kind) == (
        duplicate.pk,
        survivor.pk,
        "duplicate_of",
    )
    copied = list(Comment.objects.filter(incident=survivor).values_list("author_id", "body"))
    assert copied[:2] == [
        (other.pk, f"[{duplicate.number}] 屏幕黑了"),
        (agent.pk, f"[{duplicate.number}] 同一故障"),
    ]
    assert f"{duplicate.number} (raised by" in copied[2][1]
    assert [a.filename for a in attachments_for(record=survivor)] == ["photo.jpg"]
    assert audit_entries(duplicate)[-1].action == "merge"
    merged_in = audit_entries(survivor)[-1]
    assert (merged_in.action, merged_in.changes["duplicate"], merged_in.changes["comments"]) == (
        "merged_in",
        duplicate.number,
        2,
    )


def test_merging_moves_the_duplicates_children_to_the_survivor(incident_in, agent):
    survivor, duplicate, child = incident_in("new"), incident_in("new"), incident_in("new")
    links.incident_link_child(actor=agent, child=child, parent=duplicate)

    services.incident_merge(actor=agent, duplicate=duplicate, into=survivor)

    assert IncidentLink.objects.get(source=child).target_id == survivor.pk


def refused_merge(agent, duplicate, into, error_type=BusinessRuleViolation):
    before = (state_of(duplicate), state_of(into), IncidentLink.objects.count())
    with pytest.raises(error_type) as error:
        services.incident_merge(actor=agent, duplicate=duplicate, into=into)
    assert (state_of(duplicate), state_of(into), IncidentLink.objects.count()) == before
    return error.value.code


def test_merge_refusals_change_nothing(incident_in, agent, lead):
    a, b, c = incident_in("new"), incident_in("new"), incident_in("new")
    closed = incident_in("closed")
    assert refused_merge(agent, a, a) == "merge_self"
    assert refused_merge(agent, a, closed) == "merge_into_closed"
    assert refused_merge(agent, closed, a, InvalidTransition) == "invalid_transition"
    services.incident_merge(actor=agent, duplicate=b, into=c)
    assert refused_merge(agent, a, b, BusinessRuleViolation) == "merge_into_closed"
    # c has duplicates merged into it: merging it into another would make a chain.
    assert refused_merge(agent, c, a) == "merge_chain"
    child = incident_in("new")
    links.incident_link_child(actor=agent, child=child, parent=a)
    assert refused_merge(agent, a, child) == "merge_cycle"
    from steward.incidents.services.major import major_declare

    major_declare(actor=lead, incident=a, reason="全线中断")
    assert refused_merge(agent, a, c) == "merge_major"


def test_merging_needs_someone_working_both(incident_in, network_agent):
    a, b = incident_in("new"), incident_in("new")
    assert refused_merge(network_agent, a, b, NotPermitted) == "not_permitted"
