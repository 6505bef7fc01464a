"""The site's own search: records from the public site model, folded text, a bigram-sharded index
written as script files (loadable from file:// without fetch), read by theme/site/assets/casebook/search.js.

    records.py   one record per published case (title, unit, summary, body sentences, other facts)
    fold.py      the folding shared with the browser script (width, case, punctuation, breaks)
    index.py     postings (bigram positions, single characters) and their compact encoding
    shards.py    the files: meta.js, shard files, one text file per case
"""

from casebook.outputs.site.search.shards import INDEX_DIR, files  # noqa: F401
