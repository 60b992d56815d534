"""The buttons of the broadcast wizard and the progress message (prefix br), declared once."""

from __future__ import annotations

from bot.core.callbacks import ID, Codec
from bot.i18n import LOCALES

CB = Codec("br")
MENU = CB.action("m")  # the audience screen
GROUPS = CB.action("g")  # include course group chats (on/off)
PAID = CB.action("p")  # paid broadcasting (staff only, on/off)
CLEAR = CB.action("z")  # clear the filters
WRITE = CB.action("w")  # on to the message
DISCARD = CB.action("q")
PREVIEW = CB.action("pv")
SEND = CB.action("go")
SCHEDULE = CB.action("sc")
VERSIONS = CB.action("e")  # back to the language versions
KIND = (r"[csyntl]", str)  # one letter per filter kind (keyboards.KIND_CODES)
PICK = CB.action("k", kind=KIND)  # the picker of one filter kind
TOGGLE = CB.action("t", kind=KIND, value=(r"[A-Za-z0-9_]{1,12}", str))
VERSION = CB.action("v", locale=("|".join(LOCALES), str))  # write the version in a language
CANCEL = CB.action("x", id=ID)  # cancel a scheduled or running broadcast, from /broadcasts
STOP = CB.action("stop", id=ID)  # the same, from the progress message
