"""Deterministic Chinese names with their pinyin English form, for demo people."""

from __future__ import annotations

import random

SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("何", "He"),
    ("郭", "Guo"),
    ("马", "Ma"),
    ("罗", "Luo"),
    ("梁", "Liang"),
    ("宋", "Song"),
    ("郑", "Zheng"),
    ("谢", "Xie"),
]
GIVEN = [
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("丽", "Li"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("娟", "Juan"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
    ("桂英", "Guiying"),
    ("建华", "Jianhua"),
    ("晓东", "Xiaodong"),
    ("海燕", "Haiyan"),
    ("志强", "Zhiqiang"),
    ("婷", "Ting"),
    ("浩", "Hao"),
]


class NameMaker:
    """Yields unique (chinese, english, login) triples from a fixed seed."""

    def __init__(self, seed: int = 20261126) -> None:
        self.random = random.Random(seed)  # noqa: S311 - demo data, not security
        self.used: set[str] = set()

    def next(self) -> tuple[str, str, str]:
        while True:
            (sur, sur_en), (given, given_en) = (
                self.random.choice(SURNAMES),
                self.random.choice(GIVEN),
            )
            login = f"{sur_en}.{given_en}".lower()
            suffix = 1
            candidate = login
            while candidate in self.used:
                suffix += 1
                candidate = f"{login}{suffix}"
            self.used.add(candidate)
            return f"{sur}{given}", f"{given_en} {sur_en}", candidate
