"""Theme suggestions: the lead's choices about them and the meeting's glossary they match with."""
