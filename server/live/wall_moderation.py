"""The builds of the lead's word on single comments of the projected wall (rows in
``server.live.command_table``; the rules in ``events.themes.moderation``): the comment must be one
its
table has."""

from __future__ import annotations

from events.themes import moderation
from server.live.protocol import ProtocolError
from server.live.sent import Sent


def _comment(sent: Sent) -> tuple[int, str]:
    table, comment_id = sent.data["table"], sent.data["comment_id"]
    if comment_id not in sent.views.table(sent.meeting_id, table).state.comments:
        raise ProtocolError("unknown_comment", f"table {table} has no comment {comment_id}")
    return table, comment_id


def set_wall_rule(sent: Sent) -> moderation.SetWallRule:
    data = sent.data
    return moderation.SetWallRule(rule=data["rule"], minutes=data.get("minutes"), by=sent.by)


def approve_comment(sent: Sent) -> moderation.ApproveComment:
    table, comment_id = _comment(sent)
    return moderation.ApproveComment(table=table, comment_id=comment_id, by=sent.by)


def take_off_wall(sent: Sent) -> moderation.TakeOffWall:
    table, comment_id = _comment(sent)
    return moderation.TakeOffWall(table=table, comment_id=comment_id, by=sent.by)
