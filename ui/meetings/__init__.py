"""Sinh hoạt: the meetings page, its roll taken by keyboard, and the printed minutes and resolution."""
