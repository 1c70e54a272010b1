// @ts-check
/**
 * The tablet page's elements (`table.html`), found once by id.
 */

import { byId } from "./dom.js";

/** @typedef {ReturnType<typeof findElements>} Elements */

/** The elements the tablet page reads and writes (throws if `table.html` lacks one). */
export function findElements() {
  return {
    page: byId("page"),
    tableName: byId("table-name"),
    topic: byId("topic"),
    status: byId("status"),
    statusText: byId("status-text"),
    lastAck: byId("last-ack"),
    clock: byId("clock"),
    rotation: byId("rotation"),
    countdown: byId("countdown"),
    moment: byId("moment"),
    tabs: byId("questions"),
    prompt: byId("prompt"),
    comments: byId("comments"),
    notice: byId("notice"),
    announcement: byId("announcement"),
    announcementText: byId("announcement-text"),
    announcementDismiss: byId("announcement-dismiss"),
    signedOut: byId("signed-out"),
    signedOutText: byId("signed-out-text"),
    waitingText: /** @type {HTMLTextAreaElement} */ (byId("waiting-text")),
    copy: byId("copy"),
    undo: byId("undo"),
    undoText: byId("undo-text"),
    undoButton: byId("undo-button"),
    context: byId("draft-context"),
    draft: /** @type {HTMLTextAreaElement} */ (byId("draft")),
    add: /** @type {HTMLButtonElement} */ (byId("add")),
    nest: /** @type {HTMLButtonElement} */ (byId("nest")),
    unnest: /** @type {HTMLButtonElement} */ (byId("unnest")),
    editLast: /** @type {HTMLButtonElement} */ (byId("edit-last")),
    retract: /** @type {HTMLButtonElement} */ (byId("retract")),
    cancel: /** @type {HTMLButtonElement} */ (byId("cancel")),
    move: byId("move"),
  };
}
