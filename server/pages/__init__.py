"""The pages people open, the tablet's service worker and the printed sheets."""
