// @ts-check
/**
 * The evening's moments that tablets and the projected wall announce together: for a minute
 * after a rotation's bell, "Rotation 1 over — please move to your next table" beside the new
 * countdown (after the last rotation, the break it leads to). The server's meeting view says
 * when the bell rang and until when it is announced (`clock.bell`); only the showing is timed
 * here, on the server's clock.
 */

/**
 * @param {any} meeting the meeting view
 * @param {number} nowMs the server's time, in ms
 * @returns {string} the moment to announce now, or ""
 */
export function bellText(meeting, nowMs) {
  const c = meeting && meeting.clock;
  const bell = c ? c.bell : null;
  if (!bell || c.closed_at || nowMs < bell.at / 1000 || nowMs >= bell.until / 1000) return "";
  if (c.phase_kind === "roundtables") return `Rotation ${bell.rotation} over — please move to your next table`;
  const item = (meeting.agenda || []).find((/** @type {any} */ a) => a.id === c.phase);
  return `Rotation ${bell.rotation} over — ${item ? item.title : "time for a break"}`;
}

/**
 * The lead's message as the pages hold it: what it says, when it was sent, and when it ends.
 * @typedef {{text: string, at: number, position: number, message_id?: string, ends?: string, until?: number | null}} Message
 */

/**
 * The lead's message after one pushed event of the messages stream (the state's otherwise).
 * @param {Message | null} current
 * @param {any} message a pushed `event` message
 * @returns {Message | null}
 */
export function afterMessageEvent(current, message) {
  if (message.event_type === "MessageSent") {
    const { text, message_id, ends, until } = message.data;
    return { text, at: message.recorded_at, position: message.position, message_id, ends, until };
  }
  if (message.event_type === "MessageEnded" && current && current.message_id === message.data.message_id) {
    return null;
  }
  return current;
}
