// @ts-check
/**
 * The lead's HTTP calls to its meeting's API (`/api/meetings/{id}/…`, with the page's token:
 * the meeting view, the device list, sign-outs, sign-in links, join sheets, the report-back),
 * and `coalesced`, so a burst of socket messages asking for the same refresh fetches once.
 * Commands do not come here: they go over the socket (lead_commands.js).
 */

/**
 * @typedef {Object} MeetingApi
 * @property {(path: string) => Promise<Response>} get never cached
 * @property {(path: string, body: unknown) => Promise<Response>} post a JSON body
 */

/**
 * @param {import("./session.js").Session} session
 * @returns {MeetingApi}
 */
export function meetingApi(session) {
  const base = `/api/meetings/${encodeURIComponent(session.meeting_id)}`;
  const auth = { Authorization: `Bearer ${session.token}` };
  return {
    get: (path) => fetch(`${base}${path}`, { headers: auth, cache: "no-store" }),
    post: (path, body) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
}

/**
 * `run` once, `ms` after the last of a burst of calls.
 * @param {number} ms
 * @param {() => void} run
 * @returns {() => void}
 */
export function coalesced(ms, run) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
}
