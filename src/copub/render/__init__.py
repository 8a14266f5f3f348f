"""Rendering helpers on the ground floor: the one set of table writers, the one figure style,
HTML and text formatting. Every analysis and the report write through these."""
