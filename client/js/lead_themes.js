// @ts-check
/**
 * The lead's themes: the key themes of each topic and question in their order (move up and
 * down), and every theme as a card that takes dropped comments, with its members, rename,
 * key, merge and split. Every button sends one protocol command; nothing changes here until
 * the server's `themes` message comes back, so two lead windows always show the same wall.
 */

import { el, replaceChildren, short } from "./dom.js";
import { parseRef } from "./wall_model.js";

/**
 * What the theme cards ask the page to do.
 * @typedef {Object} ThemeActions
 * @property {(name: string, data: Record<string, unknown>, what: string) => void} send
 * @property {() => string} newId a fresh theme id
 * @property {() => void} redraw
 */

/**
 * What the lead is doing on the cards that the server does not know yet.
 * @typedef {Object} ThemeUi
 * @property {string | null} renaming the theme whose title is being edited
 * @property {string | null} splitting the theme whose comments are being chosen
 * @property {Set<string>} chosen "table/id" chosen for the split
 * @property {Set<string>} open the themes whose cards are opened (the others show title and count)
 * @property {string} find what the lead typed in "Find a theme"
 */

/**
 * @param {any} meeting
 * @param {string | null} topic
 * @param {string | null} question
 * @returns {string} e.g. "Crime Prevention · Q2", "Across topics"
 */
export function scopeLabel(meeting, topic, question) {
  const t = topic === null ? "Across topics" : meeting.topics.find((/** @type {any} */ x) => x.id === topic)?.title ?? topic;
  if (question === null) return t;
  const i = meeting.questions.findIndex((/** @type {any} */ q) => q.id === question);
  return `${t} · Q${i + 1}`;
}

/**
 * Where a topic and question come in the meeting (its topics in order, each question in order,
 * across topics last; "any question" before a topic's questions), to list key themes as the
 * report-back will.
 * @param {any} meeting
 * @param {{topic: string | null, question: string | null}} scope
 * @returns {number}
 */
function meetingOrder(meeting, { topic, question }) {
  const t = topic === null ? meeting.topics.length : meeting.topics.findIndex((/** @type {any} */ x) => x.id === topic);
  const q = question === null ? -1 : meeting.questions.findIndex((/** @type {any} */ x) => x.id === question);
  return t * (meeting.questions.length + 1) + q + 1;
}

/**
 * Which themes a comment of `topic` may go into: its topic's or cross-topic ones, those of its
 * own question first.
 * @param {import("./wall_model.js").ThemeOutline[]} themes
 * @param {string} topic
 * @param {string} question
 * @returns {import("./wall_model.js").ThemeOutline[]}
 */
export function themesFor(themes, topic, question) {
  const fit = themes.filter((t) => t.topic === null || t.topic === topic);
  const rank = (/** @type {import("./wall_model.js").ThemeOutline} */ t) =>
    (t.topic === topic ? 0 : 2) + (t.question === question ? 0 : 1);
  return fit.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}

/**
 * @param {HTMLElement} container
 * @param {import("./wall_model.js").WallModel} model
 * @param {string} topicFilter "" for all
 * @param {string} find what the lead typed in "Find a theme": the scopes holding such a title
 * @param {ThemeActions} actions
 */
export function renderKeyThemes(container, model, topicFilter, find, actions) {
  const byId = new Map(model.outline.themes.map((t) => [t.id, t]));
  const found = (/** @type {string} */ id) => {
    const theme = byId.get(id);
    return theme !== undefined && titleHas(theme, find);
  };
  const blocks = model.outline.key_themes
    .filter((scope) => scope.theme_ids.length && (!topicFilter || scope.topic === topicFilter || scope.topic === null))
    .filter((scope) => scope.theme_ids.some(found))
    .sort((a, b) => meetingOrder(model.meeting, a) - meetingOrder(model.meeting, b))
    .map((scope) => {
      const ids = scope.theme_ids;
      /** @param {number} from @param {number} to */
      const move = (from, to) => {
        if (to < 0 || to >= ids.length) return;
        const order = [...ids];
        const [id] = order.splice(from, 1);
        order.splice(to, 0, id);
        actions.send("order_key_themes", { topic: scope.topic, question: scope.question, theme_ids: order }, `Ordering the key themes of ${scopeLabel(model.meeting, scope.topic, scope.question)}`);
      };
      return el("section", { class: "key-scope" }, [
        el("h3", { text: `Key themes · ${scopeLabel(model.meeting, scope.topic, scope.question)}` }),
        el(
          "ol",
          { class: "key-list" },
          ids.map((id, i) => {
            const theme = byId.get(id);
            const up = button("↑", "Move up", () => move(i, i - 1), i === 0);
            const down = button("↓", "Move down", () => move(i, i + 1), i === ids.length - 1);
            const row = el("li", { class: "key-row", tabindex: "0", "data-key": `key/${id}`, "data-theme-id": id }, [
              el("span", { class: "rank", text: String(i + 1) }),
              el("span", { class: "title", title: theme ? theme.title : "", text: theme ? theme.title : "a theme gone since" }),
              el("span", { class: "count muted", text: theme ? `${model.members(theme).length}` : "" }),
              up,
              down,
            ]);
            row.addEventListener("keydown", (event) => {
              if (!event.altKey && !event.ctrlKey) return;
              if (event.key === "ArrowUp") move(i, i - 1);
              else if (event.key === "ArrowDown") move(i, i + 1);
              else return;
              event.preventDefault();
            });
            return row;
          }),
        ),
      ]);
    });
  replaceChildren(container, blocks);
}

/**
 * Whether a theme's title holds what the lead typed in "Find a theme" (any case, any part).
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @param {string} find
 * @returns {boolean}
 */
export function titleHas(theme, find) {
  const wanted = find.trim().toLocaleLowerCase();
  return !wanted || theme.title.toLocaleLowerCase().includes(wanted);
}

/**
 * Every theme of the topic shown (and the cross-topic ones) whose title holds `ui.find`, as
 * cards that show their title and count until opened.
 * @param {HTMLElement} container
 * @param {import("./wall_model.js").WallModel} model
 * @param {string} topicFilter "" for all
 * @param {ThemeUi} ui
 * @param {ThemeActions} actions
 * @returns {{shown: number, of: number}} how many cards are drawn, of how many themes
 */
export function renderThemes(container, model, topicFilter, ui, actions) {
  const inTopic = model.outline.themes.filter((t) => !topicFilter || t.topic === topicFilter || t.topic === null);
  const themes = inTopic.filter((t) => titleHas(t, ui.find));
  /** @type {HTMLElement[]} */
  let nodes = themes.map((theme) => themeCard(theme, model, ui, actions));
  if (!model.outline.themes.length) {
    nodes = [el("p", { class: "empty muted", text: "No themes yet. Create one above, or drop a comment on the box." })];
  } else if (!themes.length) {
    nodes = [el("p", { class: "empty muted", text: `No theme title holds “${short(ui.find.trim())}”.` })];
  }
  replaceChildren(container, [el("h2", { class: "themes-heading", text: `All themes (${inTopic.length})` }), ...nodes]);
  return { shown: themes.length, of: inTopic.length };
}

/**
 * One theme: a button with its title (opens and closes the card), its count and tables, and
 * its key star; opened, its scope, rename, split, merge and comments.
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @param {import("./wall_model.js").WallModel} model
 * @param {ThemeUi} ui
 * @param {ThemeActions} actions
 * @returns {HTMLElement}
 */
function themeCard(theme, model, ui, actions) {
  const members = model.members(theme);
  const tables = [...new Set(members.map((m) => m.table))].sort((a, b) => a - b);
  const splitting = ui.splitting === theme.id;
  const open = ui.open.has(theme.id) || splitting || ui.renaming === theme.id;
  const name = `“${short(theme.title)}”`;

  const key = el("button", {
    type: "button", class: "key-toggle small", "aria-pressed": theme.key ? "true" : "false", "data-key": `key-toggle/${theme.id}`,
    title: theme.key ? "Unmark as key theme" : "Mark as key theme", "aria-label": `Key theme: ${short(theme.title)}`, text: theme.key ? "★ Key" : "☆ Key",
  });
  key.addEventListener("click", () =>
    actions.send("set_key_theme", { theme_id: theme.id, key: !theme.key }, theme.key ? `Unmarking ${name} as a key theme` : `Marking ${name} as a key theme`),
  );

  const toggle = el("button", { type: "button", class: "theme-open", "aria-expanded": open ? "true" : "false", "data-key": `open/${theme.id}` }, [
    el("span", { class: "chevron", "aria-hidden": "true", text: open ? "▾" : "▸" }),
    el("span", { class: "theme-title", text: theme.title }),
  ]);
  toggle.addEventListener("click", () => {
    if (open) {
      ui.open.delete(theme.id);
      if (splitting) ui.splitting = null;
      if (ui.renaming === theme.id) ui.renaming = null;
    } else ui.open.add(theme.id);
    actions.redraw();
  });

  const head = el("header", { class: "theme-head" }, [
    toggle,
    el("span", {
      class: "theme-count muted",
      text: `${members.length} comment${members.length === 1 ? "" : "s"}${tables.length ? ` · T${tables.join(" T")}` : ""}`,
    }),
    key,
  ]);
  const card = el(
    "article",
    {
      class: `theme${theme.key ? " is-key" : ""}${splitting ? " splitting" : ""}`,
      "data-drop": "theme",
      "data-theme-id": theme.id,
      "data-key-theme": theme.key ? "true" : "false",
      "data-open": open ? "true" : "false",
    },
    [head, open ? themeBody(theme, members, model, ui, actions) : el("ul", { class: "members", hidden: true }, members.map((m) => memberItem(theme, m, false, ui, actions)))],
  );
  return card;
}

/**
 * An opened card's scope, actions and comments.
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @param {import("./wall_model.js").Placed[]} members
 * @param {import("./wall_model.js").WallModel} model
 * @param {ThemeUi} ui
 * @param {ThemeActions} actions
 * @returns {HTMLElement}
 */
function themeBody(theme, members, model, ui, actions) {
  const splitting = ui.splitting === theme.id;
  const rename = button("Rename", "Rename this theme", () => {
    ui.renaming = ui.renaming === theme.id ? null : theme.id;
    actions.redraw();
  });
  const split = button(splitting ? "Cancel split" : "Split", "Choose comments to make a new theme of", () => {
    ui.splitting = splitting ? null : theme.id;
    ui.chosen.clear();
    actions.redraw();
  }, members.length < 2);

  const targets = model.outline.themes.filter(
    (t) => t.id !== theme.id && (t.topic === null || t.topic === theme.topic),
  );
  const mergeInto = /** @type {HTMLSelectElement} */ (
    el("select", { class: "merge-into", "aria-label": `Merge “${short(theme.title)}” into`, "data-key": `merge/${theme.id}` }, [
      el("option", { value: "", text: "Merge into…" }),
      ...targets.map((t) => el("option", { value: t.id, text: short(t.title) })),
    ])
  );
  const merge = button("Merge", "Move every comment into the chosen theme and end this one", () => {
    const into = targets.find((t) => t.id === mergeInto.value);
    if (!into) return;
    actions.send("merge_themes", { theme_id: theme.id, into: into.id }, `Merging “${short(theme.title)}” into “${short(into.title)}”`);
  }, !targets.length);

  return el("div", { class: "theme-body" }, [
    el("p", { class: "scope muted", text: scopeLabel(model.meeting, theme.topic, theme.question) }),
    el("div", { class: "theme-actions" }, [rename, split, mergeInto, merge]),
    ui.renaming === theme.id && renameForm(theme, ui, actions),
    el("ul", { class: "members" }, members.map((m) => memberItem(theme, m, splitting, ui, actions))),
    splitting && splitForm(theme, ui, actions),
  ]);
}

/**
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @param {import("./wall_model.js").Placed} m
 * @param {boolean} splitting
 * @param {ThemeUi} ui
 * @param {ThemeActions} actions
 * @returns {HTMLElement}
 */
function memberItem(theme, m, splitting, ui, actions) {
  const ref = `${m.table}/${m.comment.id}`;
  const out = button("×", "Take it out of the theme", () =>
    actions.send("remove_from_theme", { theme_id: theme.id, table: m.table, comment_id: m.comment.id }, `Taking “${short(m.comment.text)}” out of “${short(theme.title)}”`),
  );
  out.classList.add("remove");
  out.setAttribute("aria-label", `Take “${short(m.comment.text)}” out of the theme`);
  /** @type {HTMLInputElement | false} */
  let check = false;
  if (splitting) {
    check = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", class: "choose", "aria-label": `Split off “${short(m.comment.text)}”` }));
    check.checked = ui.chosen.has(ref);
    const box = check;
    box.addEventListener("change", () => {
      if (box.checked) ui.chosen.add(ref);
      else ui.chosen.delete(ref);
    });
  }
  return el("li", { class: "member", "data-table": String(m.table), "data-id": m.comment.id }, [
    check,
    el("span", { class: "where", text: `T${m.table}${m.comment.rotation ? ` · R${m.comment.rotation}` : ""}` }),
    m.comment.starred && el("span", { class: "star", title: "Starred by the table facilitator", text: "★" }),
    el("span", { class: "text", text: m.comment.text }),
    out,
  ]);
}

/**
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @param {ThemeUi} ui
 * @param {ThemeActions} actions
 * @returns {HTMLElement}
 */
function renameForm(theme, ui, actions) {
  const input = /** @type {HTMLInputElement} */ (
    el("input", { type: "text", maxlength: "120", class: "rename-title", "aria-label": "New title", "data-key": `rename/${theme.id}` })
  );
  input.value = theme.title;
  const form = el("form", { class: "rename" }, [input, el("button", { type: "submit", class: "small", text: "Save" })]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = input.value.trim();
    ui.renaming = null;
    if (title && title !== theme.title) actions.send("rename_theme", { theme_id: theme.id, title }, `Renaming “${short(theme.title)}”`);
    actions.redraw();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    ui.renaming = null;
    actions.redraw();
  });
  queueMicrotask(() => {
    if (!document.activeElement || document.activeElement === document.body) input.focus();
  });
  return form;
}

/**
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @param {ThemeUi} ui
 * @param {ThemeActions} actions
 * @returns {HTMLElement}
 */
function splitForm(theme, ui, actions) {
  const input = /** @type {HTMLInputElement} */ (
    el("input", { type: "text", maxlength: "120", class: "split-title", placeholder: "Title of the new theme", "aria-label": "Title of the new theme", "data-key": `split/${theme.id}` })
  );
  const form = el("form", { class: "split" }, [input, el("button", { type: "submit", class: "small", text: "Split off" })]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = input.value.trim();
    const comments = [...ui.chosen].map((ref) => {
      const [table, id] = parseRef(ref);
      return { table, comment_id: id };
    });
    if (!title || !comments.length) return;
    ui.splitting = null;
    ui.chosen.clear();
    actions.send("split_theme", { theme_id: theme.id, new_theme_id: actions.newId(), title, comments }, `Splitting “${short(title)}” off “${short(theme.title)}”`);
    actions.redraw();
  });
  return form;
}

/**
 * @param {string} text
 * @param {string} title
 * @param {() => void} action
 * @param {boolean} [disabled]
 * @returns {HTMLButtonElement}
 */
function button(text, title, action, disabled = false) {
  const b = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "small", title, text }));
  b.disabled = disabled;
  b.addEventListener("click", action);
  return b;
}
