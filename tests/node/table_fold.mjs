// The page's own table fold (client/js/view.js `TableState`), run over a table's pushed events:
// for the parity test with the server's fold (tests/test_views_everywhere.py).
// stdin: {"questions": [...], "tables": [{"view": <rendered table view, or null>, "messages":
// [<event pushes after it>]}]}; stdout: per table, per question, what the page lists.
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../client/js/view.js", import.meta.url), "utf8");
const { TableState } = await import(`data:text/javascript,${encodeURIComponent(source)}`);
const input = JSON.parse(readFileSync(0, "utf8"));

/** @param {any} comment */
function shown(comment) {
  const { id, text, edited, late, starred, rotation, group, phase } = comment;
  return { id, text, edited, late, starred, rotation, group, phase };
}

const folded = input.tables.map(({ view, messages }) => {
  const state = view ? TableState.fromView(view) : new TableState();
  for (const message of messages) state.apply(message.event_type, message.data);
  return input.questions.map((question) => ({
    question,
    comments: state.list(question).map(({ comment, children }) => ({
      ...shown(comment),
      children: children.map(shown),
    })),
  }));
});
process.stdout.write(JSON.stringify(folded));
