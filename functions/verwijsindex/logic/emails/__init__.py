"""Every e-mail the index sends, in Dutch, each built from blocks (`layout.py`) that render to plain
text and to escaped HTML alike, with one footer and one page shell. Pure: no I/O.

An e-mail never holds a BSN, a youth's name or anything about why a professional is involved: the
values it is built from do not contain them.
"""
