"""The analyses: one folder per question, each computing its result from labelled works."""
