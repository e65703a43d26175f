"""Fulfilment tasks: the work a request item's task list asks of each team."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.core.transitions import TransitionTable


class TaskState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the previous task")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


T = TaskState
TASK_TRANSITIONS = TransitionTable(
    {
        "open": ((T.WAITING,), T.OPEN),
        "start": ((T.OPEN,), T.IN_PROGRESS),
        "complete": ((T.OPEN, T.IN_PROGRESS), T.DONE),
        "cancel": ((T.WAITING, T.OPEN, T.IN_PROGRESS), T.CANCELLED),
    }
)
ACTIVE_TASK_STATES = (T.OPEN, T.IN_PROGRESS)
FINISHED_TASK_STATES = (T.DONE, T.CANCELLED)
TASK_COLOURS = {
    T.WAITING: "muted", T.OPEN: "info", T.IN_PROGRESS: "primary", T.DONE: "success",
    T.CANCELLED: "muted",
}


class FulfilmentTask(models.Model):
    """One step of fulfilling a request, done by a team (and, once taken, one of its people).

    Created from the item version's task list when the request is approved (or at once when no
    approval is needed). In ordered mode only the first unfinished task is open; the next opens
    when it is done. In parallel mode all open together.
    """

    request = models.ForeignKey(
        "fulfilment.ServiceRequest", on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(
        "identity.Team", on_delete=models.PROTECT, related_name="fulfilment_tasks",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT,
        related_name="fulfilment_tasks", verbose_name=_("assignee"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=TaskState.choices, default=TaskState.WAITING,
        db_index=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="task_unique_position"),
            models.CheckConstraint(
                condition=Q(state__in=TaskState.values), name="task_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["done", "cancelled"]) | Q(finished_at__isnull=False),
                name="task_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position} {self.title}"

    def allowed_actions(self) -> list[str]:
        return TASK_TRANSITIONS.allowed(self.state)

    @property
    def state_colour(self) -> str:
        return TASK_COLOURS.get(TaskState(self.state), "muted")
