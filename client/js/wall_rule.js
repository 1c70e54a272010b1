// @ts-check
/**
 * Which raw comments the projected wall may quote: the lead's rule and their last word on each
 * comment (the `moderation` view, kept current from the moderation stream's events), and when a
 * comment goes on the wall. `since` is the page's copy of `events/themes/moderation.py` `since`;
 * tests/test_moderation.py checks both against one spec table.
 */

/** One minute, in µs (the log's unit). */
const MINUTE = 60_000_000;

/**
 * @typedef {Object} Standing
 * @property {string} rule "off" | "approve" | "after"
 * @property {number | null} minutes the wait of the "after" rule
 * @property {Map<string, {approved: boolean, at: number}>} choices by `refKey` (table/id)
 */

/**
 * @param {{rule: string, minutes: number | null, choices: [number, string, boolean, number][]}} view
 * @returns {Standing}
 */
export function standingOf(view) {
  const choices = new Map();
  for (const [table, id, approved, at] of view.choices) choices.set(`${table}/${id}`, { approved, at });
  return { rule: view.rule, minutes: view.minutes, choices };
}

/**
 * Fold one pushed event of the moderation stream.
 * @param {Standing} standing
 * @param {string} type
 * @param {any} data
 * @param {number} at the event's recorded_at (µs)
 * @returns {boolean} whether it was one
 */
export function applyModeration(standing, type, data, at) {
  if (type === "WallRuleSet") {
    standing.rule = data.rule;
    standing.minutes = data.minutes ?? null;
  } else if (type === "CommentApproved" || type === "CommentTakenOff") {
    standing.choices.set(`${data.table}/${data.comment_id}`, { approved: type === "CommentApproved", at });
  } else {
    return false;
  }
  return true;
}

/**
 * When (µs) a comment goes on the wall under the rule in force; null: not under this rule. An
 * approval is for the words the lead read: a comment edited after it waits again.
 * @param {Standing} standing
 * @param {string} ref table/id
 * @param {number} addedAt when the comment reached the server (µs)
 * @param {number | null} [editedAt] when it was last edited, if it was
 * @returns {number | null}
 */
export function since(standing, ref, addedAt, editedAt = null) {
  const choice = standing.choices.get(ref);
  if (standing.rule === "off" || (choice && !choice.approved)) return null;
  const words = editedAt === null ? addedAt : Math.max(addedAt, editedAt);
  if (choice && choice.at >= words) return choice.at;
  if (standing.rule === "after" && standing.minutes !== null) return words + standing.minutes * MINUTE;
  return null;
}
