"""What each figure means: one short definition per measure, shown next to the figure in the
console, in the API (``/reports/definitions``) and in docs/processes/reports.md.

The wording follows the KPI definitions in the steering guide (ISO/IEC 20000 notes, section 2):
every duration states its clock basis, every ratio its population.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEFINITIONS = {
    "opened": _("Incidents raised in the period (by the time they were opened)."),
    "resolved": _(
        "Incidents whose latest resolution falls in the period. An incident reopened and not "
        "yet resolved again is not counted."
    ),
    "closed": _("Incidents closed in the period (confirmed or closed automatically)."),
    "backlog": _(
        "Snapshot now, whatever the period: incidents new, assigned, in progress or on hold. "
        "On hold (waiting for someone else) is also shown on its own."
    ),
    "open_at_end": _(
        "Incidents open when the period ended (now, if it has not ended): opened before its "
        "end and neither resolved nor closed nor cancelled by then, from the recorded times. "
        "An incident reopened later counts as open from its first opening until its latest "
        "resolution."
    ),
    "age": _("Age of an open incident: now − opened time, in wall time."),
    "frt": _(
        "First response time: the first public reply of an engineer (or the start of work) − "
        "opened time, over incidents raised in the period that have had a response."
    ),
    "mtta": _(
        "Mean time to acknowledge: the first time a named engineer became the assignee "
        "(assigned by a dispatcher or taken on) − opened time, over incidents raised in the "
        "period."
    ),
    "mttr": _(
        "Mean time to resolve: resolved − opened time, over incidents resolved in the period."
    ),
    "wall": _("Wall time counts every hour of every day."),
    "business": _(
        "Business time is the customer SLA clock of the incident: its business calendar "
        "(weekends and holidays excluded), on-hold pauses excluded. Incidents without an SLA "
        "clock have no business time."
    ),
    "p90": _("P90: nine in ten incidents took this long or less (nearest rank)."),
    "fcr": _(
        "First-contact resolution: share of the incidents resolved in the period that were "
        "never reassigned, never reopened and got no further message from the requester "
        "after being raised."
    ),
    "reopen": _(
        "Reopen rate: share of the incidents resolved in the period that had been reopened at "
        "least once (the policy allows reopening for a few days after resolution)."
    ),
    "reassign": _(
        "Reassignments: moves to another team or engineer, per incident resolved in the "
        "period (mean), and the share of those incidents moved at least once."
    ),
    "sla": _(
        "SLA compliance: met ÷ (met + breached) over the SLA clocks of these incidents that "
        "stopped in the period, approved exceptions excluded; response and resolution apart."
    ),
    "engineer": _(
        "An engineer's figures count the incidents currently assigned to them; an incident "
        "moved to someone else counts for the new assignee."
    ),
    "csat": _(
        "Satisfaction: average rating, share of satisfied answers (4 or 5 of 5), ratings and "
        "response rate, from the satisfaction surveys of these incidents."
    ),
}

# Backlog age buckets: (key, label, lower bound in days (exclusive), upper bound (inclusive)).
AGE_BUCKETS: tuple[tuple[str, object, int | None, int | None], ...] = (
    ("lt1d", _("< 1 day"), None, 1),
    ("d1_3", _("1–3 days"), 1, 3),
    ("d3_7", _("3–7 days"), 3, 7),
    ("d7_30", _("7–30 days"), 7, 30),
    ("gt30d", _("> 30 days"), 30, None),
)
