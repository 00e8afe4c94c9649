"""Thin handlers grouped by area. Each module declares SERVICE and HANDLERS; dispatch collects them."""
