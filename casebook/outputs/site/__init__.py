"""The public showcase website: a generated Markdown docs tree rendered by mkdocs-material."""
