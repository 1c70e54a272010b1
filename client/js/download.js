// @ts-check
/**
 * Saving a printable page the server made (join sheets, table cards) as a file: it needs the
 * page's token, which a plain link cannot carry, so it is fetched and handed over as a blob.
 */

import { el } from "./dom.js";

/**
 * @param {Response} response an OK answer holding the HTML
 * @param {string} name the file's name
 */
export async function saveHtml(response, name) {
  const url = URL.createObjectURL(await response.blob());
  const a = el("a", { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
