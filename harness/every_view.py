"""Every view of one meeting as canonical JSON, the same way for the live server, a rebuild and
a replay: what the screens are sent (``projections.screens.VIEWS``) and the states no screen is
sent whole (the devices, the lead's suggestion choices, the messages' and the moderation's
rules), so a comparison covers every row of the catalog's ``ROUTES``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Set
from typing import Any

from events.log.codec import canonical
from projections import screens
from projections.screens import Scene


def every_view(scene: Scene) -> bytes:
    shown = screens.render(scene, views=screens.VIEWS)
    return canonical({**shown, "rules": plain(scene.rules)})


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses as objects, sets sorted, mappings by key."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {f.name: plain(getattr(value, f.name)) for f in fields}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Set):
        return sorted((plain(item) for item in value), key=canonical)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
