"""The record of processing activities (GDPR Art. 30, *seloste käsittelytoimista*).

The same answers that make the notice are most of what Art. 30 asks a controller to *keep*:
`build.py` turns them into one `Record` (what the record says), and `xlsx.py`, `docx.py` and the
HTML/PDF renderers only decide how it looks, as the notice's Document IR does.
"""
