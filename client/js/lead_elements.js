// @ts-check
/**
 * The lead's page elements (`lead.html`), found once by id, as `elements.js` does for the
 * tablet. The lead modules take what they need from here rather than each looking ids up.
 */

import { byId } from "./dom.js";

/** @typedef {ReturnType<typeof findLeadElements>} LeadElements */

/** The elements the lead's page reads and writes (throws if `lead.html` lacks one). */
export function findLeadElements() {
  return {
    lead: byId("lead"),
    title: byId("meeting-title"),
    phase: byId("phase"),
    clock: byId("clock"),
    rotation: byId("rotation"),
    countdown: byId("countdown"),
    status: byId("status"),
    statusText: byId("status-text"),
    notice: byId("notice"),
    noticeText: byId("notice-text"),
    noticeClose: byId("notice-close"),
    comments: byId("comments"),
    summary: byId("comments-summary"),
    filtersForm: byId("filters"),
    keyThemes: byId("key-themes"),
    themes: byId("themes"),
    themesScroll: byId("themes-scroll"),
    themeFind: /** @type {HTMLInputElement} */ (byId("theme-find")),
    themeFound: byId("theme-found"),
    themeJumps: /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-jump]")]),
    jumpKey: byId("jump-key"),
    jumpThemes: byId("jump-themes"),
    jumpSuggestions: byId("jump-suggestions"),
    skipLinks: /** @type {HTMLAnchorElement[]} */ ([...document.querySelectorAll("[data-skip]")]),
    suggestions: byId("suggestions"),
    undo: /** @type {HTMLButtonElement} */ (byId("undo")),
    undoWhat: byId("undo-what"),
    newTheme: /** @type {HTMLFormElement} */ (byId("new-theme")),
    newTitle: /** @type {HTMLInputElement} */ (byId("new-theme-title")),
    newScope: /** @type {HTMLSelectElement} */ (byId("new-theme-scope")),
    health: byId("health"),
    quiet: /** @type {HTMLInputElement} */ (byId("quiet-minutes")),
    devices: byId("devices"),
    open: /** @type {HTMLButtonElement} */ (byId("open")),
    hold: byId("hold"),
    presentOpen: /** @type {HTMLAnchorElement} */ (byId("present-open")),
    freeze: byId("freeze"),
    presentOffer: byId("present-offer"),
    messageForm: /** @type {HTMLFormElement} */ (byId("message-form")),
    messageText: /** @type {HTMLInputElement} */ (byId("message-text")),
    messageLast: byId("message-last"),
    messageEnds: /** @type {HTMLSelectElement} */ (byId("message-ends")),
    messageClear: /** @type {HTMLButtonElement} */ (byId("message-clear")),
    confirm: byId("confirm"),
    confirmText: byId("confirm-text"),
    confirmYes: byId("confirm-yes"),
    confirmNo: byId("confirm-no"),
    minutes: /** @type {HTMLInputElement} */ (byId("extend-minutes")),
    picker: byId("picker"),
    pickerTitle: byId("picker-title"),
    pickerList: /** @type {HTMLSelectElement} */ (byId("picker-list")),
    pickerOk: byId("picker-ok"),
    pickerCancel: byId("picker-cancel"),
    ghost: byId("ghost"),
    linkForm: /** @type {HTMLFormElement} */ (byId("link-form")),
    linkRole: /** @type {HTMLSelectElement} */ (byId("link-role")),
    linkMade: byId("link-made"),
    linkUrl: /** @type {HTMLInputElement} */ (byId("link-url")),
    linkCopy: byId("link-copy"),
    joinSheets: byId("join-sheets"),
    filters: {
      topic: /** @type {HTMLSelectElement} */ (byId("filter-topic")),
      question: /** @type {HTMLSelectElement} */ (byId("filter-question")),
      table: /** @type {HTMLSelectElement} */ (byId("filter-table")),
      rotation: /** @type {HTMLSelectElement} */ (byId("filter-rotation")),
      text: /** @type {HTMLInputElement} */ (byId("filter-text")),
      starred: /** @type {HTMLInputElement} */ (byId("filter-starred")),
      unthemed: /** @type {HTMLInputElement} */ (byId("filter-unthemed")),
    },
  };
}
