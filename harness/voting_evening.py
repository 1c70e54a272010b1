"""A meeting with key themes to vote on, and a phone's HTTP calls, for the voting tests,
the screenshots and the benchmark."""

from __future__ import annotations

import asyncio
from typing import Any

from client.live import LiveClient
from harness.access_client import call
from harness.servers import Server, token

TOPIC = "crime-prevention"
KEY_THEMES = {
    "v-cso": ("Expanded CSO program with outreach", TOPIC, "working-well"),
    "v-lights": ("Better lighting in the downtown lanes", TOPIC, "coordination"),
    "v-data": ("Share crime data between agencies", TOPIC, "advocacy"),
    "v-beds": ("More detox and treatment beds", "social-health", "advocacy"),
}
"""Key themes the lead promotes: three on Crime Prevention, one on Social and Health."""


async def promote_key_themes(server: Server, meeting_id: str) -> None:
    """As the lead: create ``KEY_THEMES`` and mark each key, in this order."""
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-laptop")) as lead:
        for theme_id, (title, topic, question) in KEY_THEMES.items():
            data = {"theme_id": theme_id, "title": title, "topic": topic, "question": question}
            await lead.command("create_theme", data)
            await lead.command("set_key_theme", {"theme_id": theme_id, "key": True})


def voting_code(server: Server, meeting_id: str) -> str:
    status, link = call(f"{server.base}/api/meetings/{meeting_id}/voting-link", lead(meeting_id))
    assert status == 200, link
    return str(link["code"])


def lead(meeting_id: str) -> str:
    return token(meeting_id, "lead", device="lead-laptop")


class Phone:
    """One participant's phone over HTTP: its id, its ballot, its dots (each call in a thread,
    so the test's loop goes on)."""

    def __init__(self, server: Server, code: str) -> None:
        self.api = f"{server.base}/api/vote/{code}"
        self.origin = {"Origin": server.base}
        self.phone = ""
        self.sent = 0

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        return await asyncio.to_thread(
            call, f"{self.api}/{path}", None, body, method="POST", headers=self.origin
        )

    async def start(self) -> dict[str, Any]:
        status, given = await self.post("phone", {})
        assert status == 200, given
        self.phone = given["phone"]
        return await self.ballot()

    async def ballot(self) -> dict[str, Any]:
        status, ballot = await self.post("ballot", {"phone": self.phone})
        assert status == 200, ballot
        return dict(ballot)

    async def dot(
        self, theme_id: str, place: bool = True, id: str | None = None
    ) -> tuple[int, Any]:
        self.sent += 1
        body = {
            "phone": self.phone,
            "id": id or f"d{self.sent}",
            "theme_id": theme_id,
            "place": place,
        }
        return await self.post("dots", body)
