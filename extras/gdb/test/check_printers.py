# gdb script for scripts/test-lanes/gdb.sh: stops printers_demo in stop_here() and checks what the
# bptree printers print. Run as
#   gdb -batch -nx [-iex 'add-auto-load-safe-path DIR' | -ex 'source .../bptree_printers.py'] \
#       -ex 'python BPTREE_EXPECT_OBJFILE = True|False' -x check_printers.py ./printers_demo
# Prints "printer check: N passed, 0 failed" and quits with status 1 on any failure.

import struct

import gdb

EXPECTED = {
    'set': 'bptree::set with 3 elements = {[0] = 1, [1] = 2, [2] = 3}',
    'empty_set': 'bptree::set with 0 elements',
    'multiset': 'bptree::multiset with 3 elements = {[0] = 1, [1] = 2, [2] = 2}',
    'map': 'bptree::map with 2 elements = {[1] = "one", [2] = "two"}',
    'multimap': 'bptree::multimap with 3 elements = {[0] = 5, [1] = 10, [1] = 11}',
    'stable': 'bptree::map with 2 elements = {[7] = 0.5, [8] = 1.5}',
    'it': '2',
    'end': 'past-the-end iterator for bptree container',
    'popped': 'bptree::set with 4 elements = {[0] = 3, [1] = 4, [2] = 5, [3] = 6}',
    'popped_it': '5',
    'board': 'bptree::sorted_set with 2 members = {["bob"] = 1720, ["ann"] = 1800}',
    'board_std': 'bptree::sorted_set with 1 member = {["cy"] = 1.5}',
    'plain_series': 'bptree::time_series with 6 samples in 1 chunk = '
                    '{[1000] = 0, [1010] = 0.5, [1020] = 1, [1030] = 1.5, [1040] = 2, [1050] = 2.5}',
    'packed_series': 'bptree::time_series with 6 samples in 1 chunk = '
                     '{[1000] = 20, [1010] = 21, [1020] = 22, [1030] = -2.25, [1043] = 24, [1050] = 25}',
    'events': 'bptree::stream with 3 entries, last-generated-id 7-0, 1 group = '
              '{[5-1] = {["temp"] = "21.5", ["room"] = "kitchen"}, [5-2] = {["temp"] = "22", ["room"] = "hall"}, '
              '[7-0] = {["door"] = "open"}}',
    'events_std': 'bptree::stream with 1 entry, last-generated-id 1-0, 0 groups = {[1-0] = {["k"] = "v"}}',
    'events.last_id_': '7-0',
}

results = {'passed': 0, 'failed': 0}


def check(what, ok, detail=''):
    if ok:
        results['passed'] += 1
    else:
        results['failed'] += 1
        print('FAIL %s %s' % (what, detail))


def children(name):
    printer = gdb.default_visualizer(gdb.parse_and_eval(name))
    return [v for _, v in printer.children()]


def bits(v):
    return struct.pack('<d', float(v)) if isinstance(v, float) else int(v)


def run_checks():
    gdb.execute('set pagination off')
    gdb.execute('set width 0')
    gdb.execute('set print elements 200')
    gdb.execute('break stop_here')
    gdb.execute('run')
    gdb.execute('up')

    for name, want in EXPECTED.items():
        got = gdb.parse_and_eval(name).format_string()
        check(name, got == want, '\n  want: %s\n  got:  %s' % (want, got))

    # Where the printers came from: the program's own .debug_gdb_scripts section, or a sourced file.
    expect_objfile = globals().get('BPTREE_EXPECT_OBJFILE', True)
    from_objfile = any(p.name == 'bptree' for o in gdb.objfiles() for p in o.pretty_printers)
    check('printers registered %s' % ('by the embedded script' if expect_objfile else 'by source'),
          from_objfile == expect_objfile)

    # A deep tree (3-value leaves, 4-child inner nodes) and a wide one: the whole leaf chain in order.
    check('deep: 40 values in order', [int(v) for v in children('deep')] == list(range(0, 400, 10)))
    check('big: 1000 values over many leaves', [int(v) for v in children('big')] == list(range(0, 3000, 3)))
    check('big: summary', gdb.parse_and_eval('big').format_string(max_elements=3) ==
          'bptree::set with 1000 elements = {[0] = 0, [1] = 3, [2] = 6...}')

    # The Gorilla decoder against the plain chunks holding the same 1500 samples.
    plain = [bits(v) for v in children('plain_big')]
    packed = [bits(v) for v in children('packed_big')]
    check('packed_big: decoded samples equal the plain ones', len(plain) == 3000 and packed == plain,
          '(%d plain, %d packed values)' % (len(plain), len(packed)))
    check('packed_big: several chunks', ' in 1 chunk' not in gdb.parse_and_eval('packed_big').format_string(
        max_elements=0))


try:
    run_checks()
except Exception as e:  # a broken printer or program must fail the lane, not end it quietly
    check('no exception', False, repr(e))
print('printer check: %d passed, %d failed' % (results['passed'], results['failed']))
gdb.execute('kill')
gdb.execute('quit %d' % (1 if results['failed'] else 0))
