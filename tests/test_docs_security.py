"""docs/security.md is checked: its permission table is the code's, and every route is in it."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Route

from server.app import create_app
from server.permissions import ACTIONS
from server.settings import Settings

DOC = (Path(__file__).parent.parent / "docs" / "security.md").read_text()
ROLES = ("lead", "facilitator", "observer", "staff", "organiser")


def _permission_rows() -> dict[str, list[str]]:
    rows = re.findall(r"^\| `([a-z]+\.[a-z]+)` \|(.*)\|$", DOC, re.M)
    return {action: [cell.strip() for cell in cells.split("|")] for action, cells in rows}


def test_every_action_in_the_code_is_in_the_permission_table_and_no_other() -> None:
    assert set(_permission_rows()) == set(ACTIONS)


def test_the_permission_table_says_what_the_code_does() -> None:
    for action, cells in _permission_rows().items():
        rule = ACTIONS[action]
        for role, cell in zip(ROLES, cells, strict=True):
            expected = "—"
            if role in rule.roles:
                expected = "yes"
                if rule.own_table and role == "facilitator":
                    expected = "own table"
                if rule.closed_only:
                    expected = "after close"
                if role == "organiser":
                    expected = "any meeting"  # an organiser's grant is for the whole server
                if rule.lead_until_close and role == "lead":
                    expected = "until close"
            assert cell == expected, f"{action} for {role}: the doc says {cell!r}"


def test_every_http_route_is_documented() -> None:
    app = create_app(Settings(database_url="unused.db"))
    for route in app.routes:
        if not isinstance(route, Route):
            continue  # the websocket is docs/protocol.md's
        path = route.path.replace("{table:int}", "{table}")
        methods = sorted((route.methods or set()) - {"HEAD"})
        for method in methods:
            assert f"`{method} {path}`" in DOC, f"docs/security.md lacks `{method} {path}`"
