"""The Japanese catalogue is complete: no untranslated or fuzzy entry ships."""

import re
from pathlib import Path

PO_FILE = Path(__file__).resolve().parents[1] / "locale/ja/LC_MESSAGES/django.po"


def _entries(text: str):
    for block in text.split("\n\n"):
        if "msgid" not in block or block.lstrip().startswith('msgid ""\nmsgstr ""\n"Project'):
            continue
        yield block


def _joined(block: str, keyword: str) -> str:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block, re.MULTILINE)
    if not match:
        return ""
    return "".join(re.findall(r'"(.*)"', match.group(1)))


def test_every_message_has_a_japanese_translation():
    untranslated = []
    for block in _entries(PO_FILE.read_text(encoding="utf-8")):
        if block.startswith("#~"):
            continue  # obsolete entries are not compiled
        msgid = _joined(block, "msgid")
        if not msgid:
            continue
        msgstr = _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
        if not msgstr or "#, fuzzy" in block:
            untranslated.append(msgid)
    assert untranslated == []


def test_placeholders_survive_translation():
    broken = []
    for block in _entries(PO_FILE.read_text(encoding="utf-8")):
        msgid, msgstr = _joined(block, "msgid"), _joined(block, "msgstr")
        if msgstr and sorted(re.findall(r"%\(\w+\)s", msgid)) != sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ):
            broken.append(msgid)
    assert broken == []
