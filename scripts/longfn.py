#!/usr/bin/env python3
"""List C functions longer than a limit (default 80 lines) under server/, client/, common/.

Usage: scripts/longfn.py [limit] [path...]   (run from the repo root)
Prints `file:line name length`, longest first. A function is a line starting
with '{' (the project's clang-format puts function braces in column 0) up to
the next line starting with '}'; its name is the identifier before '(' in the
header lines above the brace.
"""
import re
import subprocess
import sys

limit = 80
paths = ['server', 'client', 'common']
args = sys.argv[1:]
if args and args[0].isdigit():
    limit = int(args[0])
    args = args[1:]
if args:
    paths = args
files = subprocess.check_output(['git', 'ls-files'] + paths).decode().split()
out = []
for f in files:
    if not f.endswith('.c'):
        continue
    lines = open(f, encoding='utf-8', errors='replace').read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i].startswith('{') and i > 0:
            j = i - 1
            while j > 0 and not re.match(r'^[A-Za-z]', lines[j]):
                j -= 1
            name = re.search(r'(\w+)\s*\(', ' '.join(lines[j:i]))
            k = i + 1
            while k < len(lines) and not lines[k].startswith('}'):
                k += 1
            n = k - i + 1
            if n > limit:
                out.append((n, f, j + 1, name.group(1) if name else '?'))
            i = k
        i += 1
for n, f, line, name in sorted(out, reverse=True):
    print(f'{f}:{line} {name} {n}')
