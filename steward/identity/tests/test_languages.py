"""Both languages are complete: pages, forms and messages switch between zh-Hans and English."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("_case", "accept", "expected", "absent"),
    [
        ("chinese by default", "", "登录 Steward", "Sign in to Steward"),
        ("english browser", "en", "Sign in to Steward", "登录 Steward"),
    ],
)
def test_login_page_speaks_the_visitors_language(_case, accept, expected, absent):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/login/")
    body = response.content.decode()
    assert expected in body
    assert absent not in body


def test_signed_in_person_sees_their_own_language(client: Client):
    agent = factories.person(roles=(Role.AGENT,), language="en")
    client.force_login(agent)
    assert "Sign out" in client.get("/console/").content.decode()
    clerk = factories.person(language="zh-hans")
    client.force_login(clerk)
    assert "退出登录" in client.get("/portal/").content.decode()


def test_domain_errors_are_translated():
    from steward.core.errors import ValidationFailed
    from steward.identity.services import token_create

    person = factories.person()
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as chinese:
        token_create(actor=person, name="  ")
    with translation.override("en"), pytest.raises(ValidationFailed) as english:
        token_create(actor=person, name="  ")
    assert english.value.message == "Give the token a name."
    assert chinese.value.message != english.value.message
    assert all("\u4e00" <= ch <= "\u9fff" or not ch.isalpha() for ch in chinese.value.message)
