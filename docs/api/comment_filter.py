#!/usr/bin/env python3
"""Doxygen input filter for bptree's headers (FILTER_PATTERNS in Doxyfile.in).

The headers are documented with plain // comments (the style guide's rule). This filter lets
Doxygen read them as documentation without changing a header, and keeps every line where it was
(so Doxygen's warnings point at the right line):

  - the file banner (the comment lines before the include guard) becomes a \\file block;
  - a run of comment lines directly above a declaration becomes a /// block (section rulers such
    as `// ------ lookup` stay plain comments);
  - a trailing `declaration;  // text` becomes `///< text`;
  - in the comment text, characters Doxygen would take as commands or HTML are escaped, except
    inside `code spans`.
Usage: comment_filter.py HEADER  (writes the filtered text to stdout)
"""

import re
import sys

COMMENT = re.compile(r'^(\s*)//(?!/)\s?(.*)$')
TRAILING = re.compile(r'^(.*?[;,{]\s*)//(?!/)\s?(.*)$')
NOT_DOCUMENTABLE = re.compile(r'^\s*($|#|}|public:|private:|protected:|case\b|default:|return\b|if\b|for\b|'
                              r'while\b|else\b|do\b|switch\b|break;|continue;|try\b|catch\b|throw\b|static_assert\b|'
                              r'[A-Za-z_][A-Za-z0-9_.]*(->|\.)|[A-Za-z_][A-Za-z0-9_]*\s*[-+*/|&]?=[^=]|\+\+|--)')
RULER = re.compile(r'^\s*[-=]{4,}')
SPECIAL = re.compile(r'[\\@<>&#%$]')


def escape(text):
    """Escapes Doxygen/HTML specials outside `code spans`."""
    parts = text.split('`')
    for i in range(0, len(parts), 2):  # even parts are outside backticks
        parts[i] = SPECIAL.sub(lambda m: '\\' + m.group(0), parts[i])
    if len(parts) % 2 == 0:  # an unmatched backtick: escape it too
        parts[-2] += '\\`' + parts.pop()
        return '`'.join(parts)
    return '`'.join(parts)


def filter_lines(lines):
    out = list(lines)
    n = len(lines)
    # The banner: comment lines at the top, before the include guard.
    i = 0
    while i < n and COMMENT.match(lines[i]):
        indent, text = COMMENT.match(lines[i]).groups()
        out[i] = '/// \\file' if i == 0 else '/// ' + escape(text)
        i += 1
    in_function = 0
    depth = 0
    while i < n:
        line = lines[i]
        m = COMMENT.match(line)
        if m:
            j = i
            while j < n and COMMENT.match(lines[j]):
                j += 1
            documentable = j < n and not NOT_DOCUMENTABLE.match(lines[j])
            # Section rulers ("// ------ lookup") stay plain; the doc block starts after the last.
            for k in range(i, j):
                if RULER.match(COMMENT.match(lines[k]).group(2)):
                    i = k + 1
            for k in range(i, j):
                indent, text = COMMENT.match(lines[k]).groups()
                out[k] = indent + ('/// ' if documentable else '// ') + (escape(text) if documentable else text)
            i = j
            continue
        t = TRAILING.match(line)
        if t and '"' not in t.group(1) and "'" not in t.group(1) and not t.group(1).rstrip().endswith('{'):
            out[i] = t.group(1) + '///< ' + escape(t.group(2))
        i += 1
    return out


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        lines = f.read().split('\n')
    sys.stdout.write('\n'.join(filter_lines(lines)))


if __name__ == '__main__':
    main()
