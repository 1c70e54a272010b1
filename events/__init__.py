"""The write side of Roundtable: event types, the rules that decide them, and the log."""
