"""Small shared helpers: atomic files, child processes, LibreOffice, reading text files."""
