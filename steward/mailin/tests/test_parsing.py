"""Reading messages (pure, no database): charsets, HTML, files, quotes and signatures, and the
automatic mail that must never raise anything."""

from __future__ import annotations

import base64

import pytest

from steward.mailin.parsing import MailKind, kind_of, parse, reply_text
from steward.mailin.tests.conftest import fixture, sample


def message(subject: str, body: bytes = b"body", headers: str = "") -> bytes:
    head = f"From: a@example.com\r\nMessage-ID: <m@example.com>\r\nSubject: {subject}\r\n{headers}"
    return head.encode() + b"\r\n" + body


def encoded(text: str, label: str, codec: str) -> str:
    return f"=?{label}?B?{base64.b64encode(text.encode(codec)).decode()}?="


@pytest.mark.parametrize(
    ("_case", "label", "codec", "text"),
    [
        # 镕 is not in GB2312: clients label GBK text "gb2312"; it is read as GB18030.
        ("gb2312 label, GBK text", "gb2312", "gbk", "朱镕基楼打印机卡纸"),
        ("gb2312 label, GB18030 text", "GB2312", "gb18030", "服务器宕机 𠀀"),
        ("gbk", "gbk", "gbk", "邮箱无法登录"),
        ("gb18030", "gb18030", "gb18030", "网络中断"),
        ("big5", "big5", "big5", "印表機無法列印"),
        ("big5-hkscs character", "big5", "big5hkscs", "香港邨"),
        ("utf-8", "utf-8", "utf-8", "VPN 连不上 ✓"),
    ],
)
def test_encoded_word_subjects_decode_with_the_charset_rules(_case, label, codec, text):
    mail = parse(message(encoded(text, label, codec)))

    assert mail.subject == text


def test_raw_8bit_gbk_headers_and_an_html_only_body_decode():
    mail = parse(sample("flanker__charset-gb2312.eml"))

    assert mail.subject == "提示：您的企业成员暂时无法登录邮件客户端"
    assert (mail.sender_name, mail.sender) == ("腾讯企业邮箱", "10000@qq.com")
    assert mail.html_only is True
    assert mail.text.startswith("尊敬的管理员：\n\n系统检测到邮箱账号jianxin@jianxinapp.com频繁")
    assert "<" not in mail.text


def test_raw_8bit_utf8_headers_decode_as_utf8():
    raw = "From: 李娜 <li.na@example.com>\r\nSubject: 无法打印\r\n\r\nbody".encode()

    mail = parse(raw)

    assert (mail.subject, mail.sender_name, mail.sender) == (
        "无法打印",
        "李娜",
        "li.na@example.com",
    )


@pytest.mark.parametrize(
    ("_case", "name", "subject", "text"),
    [
        ("japanese", "mikel-mail__japanese.eml", "まみむめも", "かきくえこ"),
        ("korean ks_c_5601-1987", "mikel-mail__ks_c_5601-1987.eml", "test", "스티해"),
        (
            "utf-8 subject",
            "sisimai__is-not-bounce-01.eml",
            "にゃんこ",
            "にゃーーーーーーーーーーー",
        ),
    ],
)
def test_sample_messages_decode(_case, name, subject, text):
    mail = parse(sample(name))

    assert (mail.subject, reply_text(mail.text)) == (subject, text)


def test_a_raw_non_ascii_attachment_name_is_kept():
    mail = parse(sample("mikel-mail__attachment_nonascii_filename.eml"))

    assert [(p.filename, p.content_type, p.data, p.inline) for p in mail.parts] == [
        ("ciële.txt", "text/plain", b"Hi there.\r\n", False)
    ]
    assert mail.text == "This is the first part."


def test_inline_images_and_rfc2231_names_are_files():
    mail = parse(fixture("new_gb2312.eml"))

    assert [(p.filename, p.content_type, p.inline) for p in mail.parts] == [
        ("screenshot.png", "image/png", True),
        ("故障报告.txt", "text/plain", False),
    ]
    assert mail.parts[1].data == "错误代码 E-42".encode()
    assert (mail.sender_name, mail.sender) == ("张伟", "zhang.wei@example.com")


def test_html_only_mail_becomes_text_without_the_quoted_conversation():
    mail = parse(fixture("reply_html_only.eml", in_reply_to="<x@y>"))

    assert (mail.html_only, mail.text) == (True, "已经换了硒鼓，还是卡纸。")


@pytest.mark.parametrize(
    "name",
    [
        "talon__standard_replies__android.eml",
        "talon__standard_replies__apple_mail_2.eml",
        "talon__standard_replies__gmail.eml",
        "talon__standard_replies__outlook.eml",
        "talon__standard_replies__yahoo.eml",
    ],
)
def test_quoted_replies_of_the_common_clients_are_cut(name):
    mail = parse(sample(name))

    assert reply_text(mail.text) == "Hello"


@pytest.mark.parametrize(
    ("_case", "text", "kept"),
    [
        ("signature", "打印机好了\n\n-- \n张伟\n13800000000", "打印机好了"),
        ("foxmail header", "好的\n\n发件人：IT 服务台\n发送时间：2026-03-02\n主题：故障", "好的"),
        (
            "qq mail separator",
            "收到\n\n------------------ 原始邮件 ------------------\n发件人: x",
            "收到",
        ),
        ("chinese wrote", "已处理\n\n在 2026年3月2日 10:20，IT 写道：\n> 请处理", "已处理"),
        ("mobile footer", "Reboot done.\n\nSent from my iPhone", "Reboot done."),
        ("bottom quote", "Done.\n> earlier\n> text", "Done."),
        (
            "inline answers are kept",
            "> question?\nanswer\n> next?\nsecond",
            "> question?\nanswer\n> next?\nsecond",
        ),
    ],
)
def test_reply_text_keeps_only_what_the_sender_wrote(_case, text, kept):
    assert reply_text(text) == kept


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("sisimai__lhost-exim-06.eml", MailKind.BOUNCE),
        ("sisimai__lhost-postfix-01.eml", MailKind.BOUNCE),
        ("sisimai__lhost-gmail-01.eml", MailKind.BOUNCE),
        ("sisimai__lhost-office365-01.eml", MailKind.BOUNCE),
        ("sisimai__rfc3464-01.eml", MailKind.BOUNCE),
        ("sisimai__rhost-tencent-01.eml", MailKind.BOUNCE),
        ("mikel-mail__report_530.eml", MailKind.BOUNCE),
        ("sisimai__rfc3834-01.eml", MailKind.AUTO_REPLY),
        ("sisimai__rfc3834-02.eml", MailKind.AUTO_REPLY),
        ("sisimai__rfc3834-03.eml", MailKind.AUTO_REPLY),
        ("sisimai__rfc3834-06.eml", MailKind.AUTO_REPLY),
        ("flanker__disposition-notification.eml", MailKind.RECEIPT),
        ("sisimai__is-not-bounce-01.eml", MailKind.PERSONAL),
        ("talon__standard_replies__gmail.eml", MailKind.PERSONAL),
        ("mikel-mail__raw_email_reply.eml", MailKind.PERSONAL),
    ],
)
def test_automatic_mail_is_recognised(name, kind):
    assert kind_of(parse(sample(name))) == kind


def test_a_message_with_broken_mime_structure_is_flagged():
    mail = parse(sample("php-mime-mail-parser__failure.eml"))

    assert (mail.defect, kind_of(mail)) == (
        "Broken MIME structure: CloseBoundaryNotFoundDefect.",
        MailKind.PERSONAL,
    )
    assert mail.message_id.startswith("<sha256.")


def test_references_are_read_even_with_an_invalid_one():
    mail = parse(sample("mikel-mail__multiple_references_with_one_invalid.eml"))

    assert mail.references == ("<foo@bar.net>", "<baz@bar.net>")
