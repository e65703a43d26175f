"""Approvals of a service request, delegation of approvals while away, and reminders."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.outbox import OutboxItem


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("No longer needed")


class ApproverRole(models.TextChoices):
    MANAGER = "manager", _("Requester's manager")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    SERVICE_OWNER = "service_owner", _("Service owner")
    TEAM_MEMBER = "team_member", _("Member of the approving group")


class Approval(models.Model):
    """One person's approval of a service request (the item's rule says who, one-of or all-of).

    ``decided_by`` is who actually decided: the approver, or the person they delegated their
    approvals to while away (then the decision is recorded "on behalf of" the approver).
    ``link_nonce`` is part of the signed approve/reject links; it is cleared when the approval
    is decided, so a link works once.
    """

    request = models.ForeignKey(
        "fulfilment.ServiceRequest", on_delete=models.CASCADE, related_name="approvals"
    )
    approver = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="request_approvals",
        verbose_name=_("approver"),
    )
    role = models.CharField(_("as"), max_length=16, choices=ApproverRole.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    via_link = models.BooleanField(_("decided from the e-mail link"), default=False)
    link_nonce = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "approver"], name="approval_one_per_approver"
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="approval_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.approver_id} {self.state}"

    @property
    def on_behalf(self) -> bool:
        return self.decided_by_id is not None and self.decided_by_id != self.approver_id


class ApprovalDelegation(models.Model):
    """While ``delegator`` is away (``starts_on``..``ends_on``, inclusive, local dates),
    ``delegate`` sees and decides their pending approvals."""

    delegator = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="approval_delegations",
        verbose_name=_("away"),
    )
    delegate = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="approval_delegated_to_me",
        verbose_name=_("delegate"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id}→{self.delegate_id} {self.starts_on}..{self.ends_on}"


class ApprovalReminder(OutboxItem):
    """A reminder to a pending approver, due at ``next_attempt_at``; fires once (outbox row)."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="reminders")
    fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]

    def __str__(self) -> str:
        return f"reminder {self.approval_id} {self.status}"
