#!/usr/bin/python3
"""Generates python_lower.tsv: every code point whose Python str.lower() differs from itself.

    /usr/bin/python3 generate_python_lower.py > python_lower.tsv

Each line: the code point and the code points of its lowercase form, in hex. Context-free only: the final
sigma rule of str.lower() is covered by hand-written tests.
"""
import sys
import unicodedata

out = sys.stdout
out.write(f"# Python {sys.version.split()[0]} (Unicode {unicodedata.unidata_version}) str.lower(); codepoint<TAB>lowercase code points\n")
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    ch = chr(cp)
    lower = ch.lower()
    if lower != ch:
        out.write("%X\t%s\n" % (cp, " ".join("%X" % ord(c) for c in lower)))
