"""The writers: each output stage turns the published view into files (the book, the site, ...)."""
