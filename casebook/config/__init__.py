"""Declared schemas: settings (and, for the guide, the case front matter)."""
