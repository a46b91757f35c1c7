# bptree gdb pretty printers.
#
# Shows bptree::set / multiset / map / multimap (and their pmr aliases), their iterators, and the
# adaptors bptree::sorted_set, bptree::time_series and bptree::stream the way libstdc++'s printers
# show std::set and std::map:
#
#   (gdb) p s
#   $1 = bptree::set with 3 elements = {[0] = 1, [1] = 2, [2] = 3}
#   (gdb) p m
#   $2 = bptree::map with 2 elements = {[1] = "one", [2] = "two"}
#
# Two ways to load them:
#   - by hand:  (gdb) source /path/to/extras/gdb/bptree_printers.py
#     (installed as <prefix>/share/bptree/gdb/bptree_printers.py);
#   - automatically: on ELF targets every program that includes a bptree header carries this
#     script in its .debug_gdb_scripts section (include/bptree/detail/gdb_printers.hpp, generated
#     from this file by extras/gdb/embed_printers.py). gdb runs it only for files under its
#     auto-load safe-path: add `add-auto-load-safe-path /path/to/your/build` to ~/.gdbinit (or
#     `set auto-load safe-path /`). Define BPTREE_NO_GDB_PRINTERS to leave the section out.
#
# The printers read memory only (no inferior calls), so they work on core files. They walk the
# leaf chain from the tree's first_leaf_ (node layout: include/bptree/detail/node.hpp) and stop
# after size_ values, so a corrupted tree cannot make them loop. Type names are matched with an
# optional inline namespace after "bptree::" (bptree::v0_scalar::set<...> also matches).
#
# This file must stay plain ASCII: it is embedded in an assembler string.

import re

import gdb
import gdb.printing
import gdb.types

_NS = r'^bptree::(?:[A-Za-z_][A-Za-z0-9_]*::)?'
_MASK64 = (1 << 64) - 1


def _basic_type(t):
    return gdb.types.get_basic_type(t)


def _num_elements(n, word='element', plural=None):
    return '%d %s' % (n, word if n == 1 else (plural or word + 's'))


def _field_names(t):
    return [f.name for f in _basic_type(t).fields()]


def _first_pointer(val, depth=0):
    """The first pointer found in val, depth first through members and bases (unique_ptr)."""
    t = _basic_type(val.type)
    if t.code == gdb.TYPE_CODE_PTR:
        return val
    if depth > 8 or t.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        return None
    for f in t.fields():
        if not f.is_base_class and not hasattr(f, 'bitpos'):
            continue  # static member
        try:
            sub = val.cast(f.type) if f.is_base_class else val[f.name]
        except gdb.error:
            continue
        p = _first_pointer(sub, depth + 1)
        if p is not None:
            return p
    return None


# ---------------------------------------------------------------------------- standard library

def _vector_items(vec):
    """Elements of a libstdc++ std::vector (gdb.Values)."""
    impl = vec['_M_impl']
    first, last = impl['_M_start'], impl['_M_finish']
    n = int(last - first)
    for i in range(n):
        yield (first + i).dereference()


def _read_string(address, length):
    data = bytes(gdb.selected_inferior().read_memory(address, length)) if length else b''
    return data.decode('utf-8', 'backslashreplace')


def _std_string_vector(vec):
    """Python strs of a libstdc++ std::vector<std::string>, read as raw 32-byte strings."""
    impl = vec['_M_impl']
    first, last = int(impl['_M_start']), int(impl['_M_finish'])
    words = gdb.lookup_type('unsigned long').pointer()
    out = []
    for address in range(first, last, 32):
        raw = gdb.Value(address).cast(words)
        out.append(_read_string(int(raw[0]), int(raw[1])))
    return out


def _quote(s):
    """s as a C string literal, as gdb shows strings."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append('\\' + ch)
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append('\\%03o' % ord(ch))
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def _rbtree_values(val):
    """Values of a libstdc++ std::set / std::map (_Rb_tree), in order."""
    rbtree = val['_M_t']
    impl = rbtree['_M_impl']
    header = impl['_M_header']
    count = int(impl['_M_node_count'])
    # _Rb_tree<Key, Value, ...>: a node is _Rb_tree_node_base followed by the Value.
    value_type = _basic_type(rbtree.type).template_argument(1)
    align = value_type.alignof
    offset = (header.type.sizeof + align - 1) // align * align
    node = header['_M_left']
    for _ in range(count):
        yield gdb.Value(int(node) + offset).cast(value_type.pointer()).dereference()
        if node['_M_right']:
            node = node['_M_right']
            while node['_M_left']:
                node = node['_M_left']
        else:
            parent = node['_M_parent']
            while node == parent['_M_right']:
                node = parent
                parent = parent['_M_parent']
            if node['_M_right'] != parent:
                node = parent


def _default_children_values(val, is_map):
    """Values through the type's own pretty printer (libc++ or any other library)."""
    pp = gdb.default_visualizer(val)
    if pp is None or not hasattr(pp, 'children'):
        return
    items = (v for _, v in pp.children())
    if not is_map:
        for v in items:
            yield v
        return
    for k in items:
        yield (k, next(items))


# ---------------------------------------------------------------------------- the B+ tree engine

class _Tree(object):
    """Reads a bptree::detail::tree<Params>: size, value type and the leaf chain."""

    def __init__(self, tree):
        self.tree = tree
        self.size = int(tree['size_'])
        params = _basic_type(tree.type).template_argument(0)
        self.is_map = 'map_params' in params.tag
        self.leaf_type = _basic_type(tree['first_leaf_'].type.target())
        self.value_type = self._value_type(params)
        self.boxed = self._is_boxed()

    def _value_type(self, params):
        try:
            return gdb.lookup_type(str(self.leaf_type) + '::value_type').strip_typedefs()
        except gdb.error:
            pass
        if not self.is_map:
            return params.template_argument(0)
        # map_params<Key, T, Compare, Allocator, ...>: the allocator's value type is the pair.
        return params.template_argument(3).template_argument(0)

    def _is_boxed(self):
        # Values are boxed (the slot holds a pointer) for Traits::stable_values or a throwing move.
        try:
            slot = gdb.lookup_type(str(self.leaf_type) + '::slot_type').strip_typedefs()
            return slot.code == gdb.TYPE_CODE_PTR
        except gdb.error:
            pass
        try:
            capacity = int(gdb.parse_and_eval(str(self.leaf_type) + '::capacity'))
            slot_bytes = self.leaf_type['storage'].type.sizeof // capacity
            return slot_bytes != self.value_type.sizeof
        except (gdb.error, ZeroDivisionError, KeyError):
            return False

    def values(self):
        """The values in order (at most size_ of them)."""
        leaf = self.tree['first_leaf_']
        slot_type = self.value_type.pointer() if self.boxed else self.value_type
        left = self.size
        while left > 0 and leaf:
            node = leaf.dereference()
            slots = node['storage'].address.cast(slot_type.pointer()) + int(node['first'])
            for i in range(min(int(node['count']), left)):
                v = slots[i]
                yield v.dereference() if self.boxed else v
            left -= min(int(node['count']), left)
            leaf = node['next']


def _container_values(val):
    """(is_map, iterator of values) for a bptree container, std::set/std::map or other."""
    tag = _basic_type(val.type).tag or ''
    if re.match(_NS + r'(set|multiset|map|multimap)<', tag) or re.match(_NS + r'detail::tree<', tag):
        tree = _Tree(val if re.match(_NS + r'detail::tree<', tag) else val['tree_'])
        return tree.is_map, tree.values()
    is_map = re.match(r'^std::(?:__\w+::)?(multi)?map<', tag) is not None
    if '_M_t' in _field_names(val.type):
        return is_map, _rbtree_values(val)
    return is_map, _default_children_values(val, is_map)


class ContainerPrinter(object):
    """bptree::set / multiset / map / multimap and bptree::detail::tree."""

    def __init__(self, name, val):
        self.name = name
        self.val = val
        self.tree = _Tree(val if name == 'bptree::detail::tree' else val['tree_'])

    def to_string(self):
        return '%s with %s' % (self.name, _num_elements(self.tree.size))

    def display_hint(self):
        return 'map' if self.tree.is_map else None

    def children(self):
        i = 0
        for v in self.tree.values():
            if self.tree.is_map:
                yield '[%d]' % i, v['first']
                yield '[%d]' % (i + 1), v['second']
                i += 2
            else:
                yield '[%d]' % i, v
                i += 1


class IteratorPrinter(object):
    """bptree::detail::tree_iterator: the value it points at, as libstdc++ shows iterators."""

    def __init__(self, name, val):
        self.val = val

    def to_string(self):
        leaf = self.val['leaf_']
        if not leaf:
            return 'non-dereferenceable iterator for bptree container'
        slot = int(self.val['slot_'])
        if slot >= int(leaf.dereference()['count']):
            return 'past-the-end iterator for bptree container'
        leaf_type = _basic_type(leaf.type.target())
        value_type = gdb.lookup_type(str(leaf_type) + '::value_type').strip_typedefs()
        try:
            slot_type = gdb.lookup_type(str(leaf_type) + '::slot_type').strip_typedefs()
        except gdb.error:
            slot_type = value_type
        node = leaf.dereference()
        v = node['storage'].address.cast(slot_type.pointer())[int(node['first']) + slot]
        return v.dereference() if slot_type.code == gdb.TYPE_CODE_PTR else v


# ---------------------------------------------------------------------------- adaptors

class SortedSetPrinter(object):
    """bptree::sorted_set: members and scores in (score, member) order."""

    def __init__(self, name, val):
        self.val = val
        self.index = val['index_']

    def _size(self):
        tag = _basic_type(self.index.type).tag
        if '_M_t' in _field_names(self.index.type):
            return int(self.index['_M_t']['_M_impl']['_M_node_count'])
        if re.match(_NS, tag):
            return int(self.index['tree_']['size_'])
        return None

    def to_string(self):
        n = self._size()
        return 'bptree::sorted_set' if n is None else 'bptree::sorted_set with %s' % _num_elements(n, 'member')

    def display_hint(self):
        return 'map'

    def children(self):
        _, entries = _container_values(self.index)
        i = 0
        for e in entries:
            yield '[%d]' % i, e['member']
            yield '[%d]' % (i + 1), e['score']
            i += 2


class _GorillaReader(object):
    """Decodes a compressed time-series chunk (include/bptree/detail/adaptors/ts_gorilla.hpp)."""

    def __init__(self, words):
        self.words = words
        self.cache = {}
        self.pos = 0

    def _word(self, i):
        if i not in self.cache:
            self.cache[i] = int(self.words[i]) & _MASK64
        return self.cache[i]

    def read(self, bits):
        word, used = divmod(self.pos, 64)
        room = 64 - used
        w = (self._word(word) << used) & _MASK64
        if bits <= room:
            out = w >> (64 - bits)
        else:
            rest = bits - room
            out = ((w >> used) << rest) | (self._word(word + 1) >> (64 - rest))
        self.pos += bits
        return out


def _signed64(u):
    return u - (1 << 64) if u & (1 << 63) else u


def _bits_double(u):
    import struct
    return struct.unpack('<d', struct.pack('<Q', u))[0]


def _unzigzag(u):
    return (u >> 1) ^ -(u & 1)


def _read_delta_of_delta(r):
    # '0' -> 0; '10' + 7 bits; '110' + 9; '1110' + 12; '11110' + 32; '11111' + 64 (zigzag coded).
    if not r.read(1):
        return 0
    for width in (7, 9, 12, 32):
        if not r.read(1):
            return r.read(width)
    return r.read(64)


def _gorilla_samples(stream):
    count = int(stream['count_'])
    if count == 0:
        return
    r = _GorillaReader(stream['bits_']['words_']['_M_impl']['_M_start'])
    ts = _signed64(r.read(64))
    value = r.read(64)
    yield ts, _bits_double(value)
    delta, leading, trailing = 0, -1, 0
    for _ in range(1, count):
        delta = _signed64((delta + _unzigzag(_read_delta_of_delta(r))) & _MASK64)
        ts = _signed64((ts + delta) & _MASK64)
        if r.read(1):
            if r.read(1):
                leading = r.read(5)
                length = r.read(6) + 1
                trailing = 64 - leading - length
            else:
                length = 64 - leading - trailing
            value ^= (r.read(length) << trailing) & _MASK64
        yield ts, _bits_double(value)


class TimeSeriesPrinter(object):
    """bptree::time_series: (timestamp, value) samples in time order, decoded from the chunks."""

    def __init__(self, name, val):
        self.val = val

    def to_string(self):
        chunks = sum(1 for _ in _container_values(self.val['index_'])[1])
        return 'bptree::time_series with %s in %s' % (_num_elements(int(self.val['size_']), 'sample'),
                                                        _num_elements(chunks, 'chunk'))

    def display_hint(self):
        return 'map'

    def _samples(self):
        _, chunks = _container_values(self.val['index_'])
        for entry in chunks:
            chunk = entry['second']
            if str(chunk['encoding_']).endswith('uncompressed'):
                for s in _vector_items(chunk['plain_']):
                    yield int(s['ts']), float(s['value'])
            else:
                for s in _gorilla_samples(chunk['packed_']):
                    yield s

    def children(self):
        i = 0
        for ts, value in self._samples():
            yield '[%d]' % i, ts
            yield '[%d]' % (i + 1), value
            i += 2


def _format_id(val):
    return '%d-%d' % (int(val['ms']), int(val['seq']))


class StreamIdPrinter(object):
    """bptree::stream_id as Redis writes it: ms-seq."""

    def __init__(self, name, val):
        self.val = val

    def to_string(self):
        return _format_id(self.val)


class _Bytes(object):
    """Sequential reads from the inferior's memory."""

    def __init__(self, address):
        self.address = int(address)
        self.inferior = gdb.selected_inferior()

    def take(self, n):
        data = bytes(self.inferior.read_memory(self.address, n)) if n else b''
        self.address += n
        return data

    def varint(self):
        v, shift = 0, 0
        while True:
            b = self.take(1)[0]
            v |= (b & 0x7F) << shift
            if not b & 0x80:
                return v
            shift += 7

    def string(self):
        n = self.varint()
        s = _read_string(self.address, n)
        self.address += n
        return s


class StreamRecordPrinter(object):
    """A stream entry's field/value pairs (include/bptree/detail/adaptors/stream_entry.hpp)."""

    def __init__(self, name, val):
        self.val = val

    def to_string(self):
        return None

    def display_hint(self):
        return 'map'

    def children(self):
        block = _first_pointer(self.val['block_'])
        if block is None or not block:
            return
        names_obj = self.val['names_']['p_']
        names = _std_string_vector(names_obj.dereference()['names_']) if names_obj else None
        data = _Bytes(block)
        for i in range(data.varint()):
            name = names[i] if names is not None else data.string()
            yield '[%d]' % (2 * i), _quote(name)
            yield '[%d]' % (2 * i + 1), _quote(data.string())


class StreamPrinter(object):
    """bptree::stream: entries in ID order, with the stream's length and last ID."""

    def __init__(self, name, val):
        self.val = val

    def to_string(self):
        entries = self.val['entries_']
        tag = _basic_type(entries.type).tag
        if '_M_t' in _field_names(entries.type):
            n = int(entries['_M_t']['_M_impl']['_M_node_count'])
        elif re.match(_NS, tag):
            n = int(entries['tree_']['size_'])
        else:
            n = None
        groups = int(self.val['groups_']['_M_t']['_M_impl']['_M_node_count'])
        head = 'bptree::stream' if n is None else 'bptree::stream with %s' % _num_elements(n, 'entry', 'entries')
        return '%s, last-generated-id %s, %s' % (head, _format_id(self.val['last_id_']),
                                                 _num_elements(groups, 'group'))

    def display_hint(self):
        return 'map'

    def children(self):
        _, entries = _container_values(self.val['entries_'])
        i = 0
        for e in entries:
            yield '[%d]' % i, e['first']
            yield '[%d]' % (i + 1), e['second']
            i += 2


# ---------------------------------------------------------------------------- registration

def _printer_class(name, cls):
    return lambda val: cls(name, val)


def build_pretty_printer():
    pp = gdb.printing.RegexpCollectionPrettyPrinter('bptree')
    for name in ('set', 'multiset', 'map', 'multimap'):
        pp.add_printer('bptree::' + name, _NS + name + '<', _printer_class('bptree::' + name, ContainerPrinter))
    pp.add_printer('bptree::detail::tree', _NS + r'detail::tree<',
                   _printer_class('bptree::detail::tree', ContainerPrinter))
    pp.add_printer('bptree::detail::tree_iterator', _NS + r'detail::tree_iterator<',
                   _printer_class('iterator', IteratorPrinter))
    pp.add_printer('bptree::sorted_set', _NS + r'sorted_set<', _printer_class('sorted_set', SortedSetPrinter))
    pp.add_printer('bptree::time_series', _NS + r'time_series<', _printer_class('time_series', TimeSeriesPrinter))
    pp.add_printer('bptree::stream', _NS + r'stream<', _printer_class('stream', StreamPrinter))
    pp.add_printer('bptree::stream_id', _NS + r'stream_id$', _printer_class('stream_id', StreamIdPrinter))
    pp.add_printer('bptree::detail::stream_record', _NS + r'detail::stream_record$',
                   _printer_class('stream_record', StreamRecordPrinter))
    return pp


def register_bptree_printers(objfile=None):
    """Registers the printers with objfile (None: globally); safe to call more than once."""
    gdb.printing.register_pretty_printer(objfile, build_pretty_printer(), replace=True)


register_bptree_printers(gdb.current_objfile())
