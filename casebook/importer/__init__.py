"""Import submitted Word documents (申报材料) into case folders: python build.py import FILE_OR_FOLDER."""
