"""The log's machinery: the store, its writer and readers, the hash chain, the codec
and the archive format. Nothing here knows what a meeting is."""
