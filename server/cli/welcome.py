"""What ``roundtable serve`` prints at start: where tablets reach it, and the lead's links.

Like Jupyter's token, the lead's first sign-in is a link printed in the terminal of whoever
started the server: there is no default password. Each start prints a fresh link per meeting
that is not closed; each link works once (``docs/security.md``). Until the server's first
organiser has signed in, each start also prints an organiser's link, for the front page
where meetings are planned.
"""

from __future__ import annotations

from server import access, meetings
from server.addresses import ANY_HOST, base_urls, is_loopback, lan_addresses
from server.auth import Auth
from server.pages import sheets
from server.settings import Settings
from server.tokens import ORGANISERS


def addresses(settings: Settings) -> list[str]:
    """Lines saying where tablets can reach the server, and what to change if they cannot."""
    bases = base_urls(settings)
    if settings.public_url:
        return [f"Links and QR codes use PUBLIC_URL: {settings.public_url}"]
    if settings.host in ANY_HOST:
        return ["Tablets on this network can reach Roundtable at:", *(f"  {b}" for b in bases)]
    if is_loopback(bases[0]):
        found = ", ".join(lan_addresses()) or "none found"
        return [
            f"Roundtable listens on loopback only ({bases[0]}): tablets cannot reach it.",
            "  At a venue: --host 0.0.0.0 --public-url http://<this laptop's LAN address>:PORT"
            f" (LAN addresses: {found})",
        ]
    return [f"Tablets reach Roundtable at {bases[0]}"]


async def startup(settings: Settings, *, demo: str | None = None) -> str:
    """The lines to print: addresses, a one-time lead sign-in link per meeting that is not
    closed, and for the demo meeting its tables' join links (a rehearsal needs no sheets);
    then the organiser's (``_organiser``), and on an empty log where a meeting comes from."""
    lines = addresses(settings)
    base = base_urls(settings)[0]
    async with settings.store() as store:
        auth = await Auth.open(store, settings)
        ids = await meetings.meeting_ids(store)
        for meeting_id in ids:
            plan, closed = await access.load_plan(auth, meeting_id)
            if closed:
                continue
            url, _ = await access.signin_link(auth, base, meeting_id, "lead", printed=True)
            lines += [
                f"Lead sign-in for {plan.title} ({meeting_id}), works once, "
                f"for {access.PRINTED_LINK_HOURS} hours (earlier printed links no longer work):",
                f"  {url}",
            ]
            if meeting_id == demo:
                codes = access.current_codes(auth.secret, plan, await auth.devices(meeting_id))
                for table, code in codes.items():
                    lines.append(
                        f"  join table {table:<3} {sheets.join_url(base, meeting_id, code)}"
                    )
        lines += await _organiser(auth, base)
    if not ids:
        lines.append(
            "No meetings yet: plan one in the browser from the organiser's front page, "
            "create one from a template (roundtable meeting create --template FILE), or "
            "start with --demo for the Kamloops rehearsal (docs/planning.md)."
        )
    return "\n".join(lines)


async def _organiser(auth: Auth, base: str) -> list[str]:
    """The first organiser's link, until one has signed in; then where another comes from."""
    if access.has_organiser(await auth.devices(ORGANISERS)):
        return [
            "Organisers: the front page signs in as before; another organiser's link: "
            "roundtable link --role organiser"
        ]
    url, _ = await access.signin_link(auth, base, ORGANISERS, "organiser", printed=True)
    return [
        f"Organiser sign-in (the front page: plan meetings, print their sheets, make the "
        f"lead's link), works once, for {access.PRINTED_LINK_HOURS} hours:",
        f"  {url}",
    ]
