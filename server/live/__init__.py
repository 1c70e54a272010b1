"""The live socket: the protocol, the command table and its builds, the live views and who
is connected."""
