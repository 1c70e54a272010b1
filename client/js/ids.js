// @ts-check
/**
 * Random ids for comments and commands. `crypto.randomUUID` exists only in secure contexts
 * (https), and a venue serves plain http on its LAN, so this builds a UUID v4 from
 * `crypto.getRandomValues`, which every browser offers everywhere.
 */

/** @returns {string} a random UUID, version 4 */
export function uuid4() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
