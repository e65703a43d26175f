"""Console pages: the delivery log, robots and webhooks, the egress allow-list, and a test
message. Thin: selectors decide visibility (404 for non-administrators), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.core.views import add_domain_error
from steward.notifications import selectors, services
from steward.notifications.forms import AllowRuleForm, DeliveryFilterForm, RobotForm
from steward.notifications.services import masked_url

PAGE_SIZE = 50


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    form = DeliveryFilterForm(request.GET or None)
    filters: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {}
    deliveries = selectors.delivery_list_for(
        user=request.user, status=filters.get("status", ""), channel=filters.get("channel", "")
    )
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "delivery-table":
        return render(request, "notifications/_delivery_table.html", context)
    return render(request, "notifications/delivery_list.html", context)


@login_required
@require_POST
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = selectors.delivery_get_for(user=request.user, delivery_id=delivery_id)
    try:
        delivery = services.delivery_retry(actor=request.user, delivery=delivery)
    except DomainError as exc:
        if getattr(request, "htmx", False):
            return render(request, "notifications/_delivery_row.html",
                          {"delivery": delivery, "error": exc.message}, status=exc.status)
        messages.error(request, exc.message)
        return redirect("notifications:deliveries")
    if getattr(request, "htmx", False):
        return render(request, "notifications/_delivery_row.html", {"delivery": delivery})
    messages.success(request, _("The delivery was queued again."))
    return redirect("notifications:deliveries")


@login_required
@require_http_methods(["GET", "POST"])
def send_test(request: HttpRequest) -> HttpResponse:
    notification = None
    if request.method == "POST":
        notification = services.notification_send_test(actor=request.user)
    deliveries = list(notification.deliveries.order_by("id")) if notification else []
    return render(request, "notifications/send_test.html",
                  {"notification": notification, "deliveries": deliveries})


def _robot_changes(form: RobotForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    return {key: data[key] for key in ("name", "kind", "url", "secret", "team", "enabled")}


@login_required
@require_http_methods(["GET", "POST"])
def robot_list(request: HttpRequest) -> HttpResponse:
    robots = selectors.robot_list_for(user=request.user)
    form = RobotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.robot_create(actor=request.user, **_robot_changes(form))
                messages.success(request, _("The robot was added."))
                return redirect("notifications:robots")
            except DomainError as exc:
                add_domain_error(form, exc)
        status = 422
    rows = [(robot, masked_url(robot.url)) for robot in robots]
    return render(request, "notifications/robot_list.html", {"rows": rows, "form": form},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def robot_edit(request: HttpRequest, robot_id: int) -> HttpResponse:
    robot = selectors.robot_get_for(user=request.user, robot_id=robot_id)
    initial = {"name": robot.name, "kind": robot.kind, "team": robot.team,
               "enabled": robot.enabled}
    form = RobotForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.robot_update(actor=request.user, robot=robot,
                                      changes=_robot_changes(form))
                messages.success(request, _("The robot was saved."))
                return redirect("notifications:robots")
            except DomainError as exc:
                add_domain_error(form, exc)
        status = 422
    return render(request, "notifications/robot_edit.html",
                  {"robot": robot, "url": masked_url(robot.url), "form": form}, status=status)


@login_required
@require_POST
def robot_delete(request: HttpRequest, robot_id: int) -> HttpResponse:
    robot = selectors.robot_get_for(user=request.user, robot_id=robot_id)
    services.robot_delete(actor=request.user, robot=robot)
    messages.success(request, _("The robot was removed."))
    return redirect("notifications:robots")


@login_required
@require_http_methods(["GET", "POST"])
def allow_rule_list(request: HttpRequest) -> HttpResponse:
    rules = selectors.allow_rule_list_for(user=request.user)
    form = AllowRuleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.allow_rule_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The network or host is now allowed."))
                return redirect("notifications:egress")
            except DomainError as exc:
                add_domain_error(form, exc)
        status = 422
    return render(request, "notifications/allow_rule_list.html", {"rules": rules, "form": form},
                  status=status)


@login_required
@require_POST
def allow_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = selectors.allow_rule_get_for(user=request.user, rule_id=rule_id)
    services.allow_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("The allow rule was removed."))
    return redirect("notifications:egress")
