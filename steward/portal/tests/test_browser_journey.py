"""A requester's journey in a real browser on a phone-sized window: sign in, report a problem
on a service, read the acknowledgement, see the agent's reply arrive without a reload (htmx
polling), confirm the resolution and rate it on the page.

Runs headless Chromium through selenium against pytest-django's ``live_server`` (a separate
thread), so rows are committed (``transactional_db``) with serialized rollback, as every
committing test in the suite does. Skipped with a reason when selenium, chromium or
chromedriver is missing.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.identity.models import Role
from steward.incidents import services as incidents
from steward.incidents.models import Incident
from steward.satisfaction.models import Survey
from steward.sla import services as sla
from steward.sla.models import BusinessCalendar
from steward.testing import factories

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
)
PHONE = (390, 844)
WAIT = 45  # seconds; the page polls every 5 s (generous: CI machines are busy)


def _missing() -> str:
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install 'selenium>=4.20', the test extra)"
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is not installed: the browser journey needs Chromium and chromedriver"
    return ""


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(_missing()), reason=_missing() or "ready"),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(*PHONE)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def desk(transactional_db: Any, django_db_serialized_rollback: Any) -> dict[str, Any]:
    """A store clerk, a desk agent, a service on the built-in 24 × 7 calendar with an SLA."""
    agent = factories.person(roles=(Role.AGENT,), name="王工", name_en="Wang")
    team = factories.team(code="DESK", name="服务台", members=(agent,))
    store = factories.department(code="STORES", name="门店运营部")
    clerk = factories.person(username="clerk", password="s3cret-Passw0rd!", name="店员小王",
                             department=store)
    service = factories.service(code="POS", name="门店收银", name_en="Store checkout",
                                support_team=team)
    agreement = sla.agreement_create(actor=None, code="SLA-POS", name="门店收银服务级别协议",
                                     service=service, valid_from=dt.date(2020, 1, 1))
    always = BusinessCalendar.objects.get(code="24X7")
    for kind, minutes in (("first_response", 30), ("resolution", 240)):
        sla.metric_set(
            actor=None, agreement=agreement, kind=kind, calendar=always,
            targets={str(p): minutes for p in range(1, 6)}, start_states=["new"],
            stop_states=["in_progress", "on_hold", "resolved", "responded"]
            if kind == "first_response" else ["resolved"],
            cancel_states=["cancelled"],
        )
    sla.agreement_activate(actor=None, agreement=agreement)
    return {"agent": agent, "clerk": clerk, "service": service}


def test_a_requester_reports_follows_and_confirms_from_a_phone(live_server, browser, desk):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT)
    browser.get(live_server.url + reverse("portal:service", args=["POS"]))
    # Signed out: the service page sends the clerk to sign in first.
    wait.until(ec.presence_of_element_located((By.NAME, "username"))).send_keys("clerk")
    browser.find_element(By.NAME, "password").send_keys("s3cret-Passw0rd!")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    report = wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, f"a[href='{reverse('portal:report_service', args=['POS'])}']")))
    assert browser.execute_script("return document.documentElement.clientWidth") <= PHONE[0]
    report.click()
    wait.until(ec.presence_of_element_located((By.NAME, "title"))).send_keys("收银机无法开机")
    browser.find_element(By.NAME, "description").send_keys("按电源键没反应")
    browser.find_element(By.CSS_SELECTOR, "input[name=urgency][value='1']").click()
    browser.find_element(By.CSS_SELECTOR, "form.report-form button[type=submit]").click()

    acknowledgement = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".messages")))
    incident = Incident.objects.get()
    due = timezone.localtime(incident.opened_at + dt.timedelta(minutes=30))
    assert incident.number in acknowledgement.text
    assert due.strftime("%H:%M") in acknowledgement.text
    assert browser.execute_script(  # nothing scrolls sideways on the phone
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # The agent answers through the service desk's service; the page shows it without a reload.
    browser.execute_script("window.__steward_marker = 'same page'")
    incidents.incident_comment(actor=desk["agent"], incident=incident,
                               body="工程师十分钟后到店", public=True)
    wait.until(ec.text_to_be_present_in_element((By.ID, "incident-live"), "工程师十分钟后到店"))
    assert browser.execute_script("return window.__steward_marker") == "same page"

    incident.refresh_from_db()
    incidents.incident_resolve(actor=desk["agent"], incident=incident,
                               resolution_code="solution_provided",
                               resolution_note="更换了电源适配器。")
    confirm = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#confirm-form button")))
    assert browser.execute_script("return window.__steward_marker") == "same page"
    confirm.click()

    wait.until(lambda _: Incident.objects.get(pk=incident.pk).status == "closed")
    wait.until(ec.invisibility_of_element_located((By.ID, "confirm-form")))

    # The survey came with the resolution; the clerk rates it on the same page. The panel is
    # part of the swapped fragment, so every step re-finds its element (never a stale one).
    _click(wait, "#survey-form input[name='survey-rating'][value='5']")
    wait.until(ec.presence_of_element_located((By.NAME, "survey-comment"))).send_keys("很快，谢谢")
    _click(wait, "#survey-form button[type=submit]")
    shown = wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, "#survey-panel .survey-result[data-rating='5']")))
    assert "5" in shown.text
    survey = Survey.objects.get(object_id=incident.pk)
    assert (survey.status, survey.rating, survey.comment, survey.rated_via) == (
        "rated", 5, "很快，谢谢", "portal")
    assert browser.execute_script("return window.__steward_marker") == "same page"


def _click(wait: Any, css: str) -> None:
    """Click the element once it is clickable, retrying while htmx replaces it."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By

    def attempt(driver: Any) -> bool:
        try:
            element = driver.find_element(By.CSS_SELECTOR, css)
            if not (element.is_displayed() and element.is_enabled()):
                return False
            element.click()
        except (StaleElementReferenceException, ElementClickInterceptedException):
            return False
        return True

    wait.until(attempt)
