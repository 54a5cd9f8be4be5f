# gdb pretty-printers for TML programs (tmlc -g). Embedded in every debug build's executable through its
# .debug_gdb_scripts section (runtime-c/gdb_scripts.c), so gdb loads them by itself once the executable's directory
# is in gdb's `auto-load safe-path` (README.md, "Debugging"); `source runtime-c/gdb/tml_printers.py` loads them by hand.
#
# They read the DWARF types tmlc describes (compiler/src/codegen/debug_types.ts), recognised by name:
#   Str                 typedef of a pointer to TmlStr { rc, len, bytes[] }   → "hello"
#   Char                a 32-bit Unicode scalar value                          → 'x'
#   List[T]             { data: *T, len, cap }                                 → List(len=3) = {1, 2, 3}
#   HashMap[K, V]       { entries: List[Entry[K, V]], … }, Entry = Full(K, V) | Removed
#                                                                              → HashMap(len=2) = {["a"] = 1, …}
#   Heap[T]             { ptr: *T }                                            → Heap(7)
#   Shared[T]           { ptr: *SharedBox { strong, weak, value } }            → Shared(7)
#   (A, B)              { __0: A, __1: B }                                     → (1, "two")
#   any enum (Maybe, Outcome, user enums): { tag: I32, <variant part> }      → Just(3), Nothing, Rect { w: 2, h: 5 }
import re

import gdb
import gdb.printing


def _fmt(value):
    """A value formatted as gdb prints it (through these printers too)."""
    return value.format_string()


def _enum_variant(val):
    """(name, [(field name, value)]) of the active variant of a TML enum value, or None when `val` is not one.

    An enum is a structure whose first field is the artificial `tag` followed by one member per variant of a DWARF
    variant part; gdb resolves the variant part, so the value's type has the tag and the active variant only."""
    ty = val.type.strip_typedefs()
    if ty.code != gdb.TYPE_CODE_STRUCT:
        return None
    fields = ty.fields()
    if len(fields) != 2 or fields[0].name != "tag" or not fields[0].artificial:
        return None
    variant = fields[1]
    body = val[variant]
    return variant.name, [(f.name, body[f]) for f in body.type.strip_typedefs().fields()]


class StrPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        header = self.val.dereference() if int(self.val) != 0 else None
        if header is None:
            return "<null Str>"
        length = int(header["len"])
        char_ptr = gdb.lookup_type("char").pointer()
        return header["bytes"].address.cast(char_ptr).lazy_string(length=length)

    def display_hint(self):
        return "string"


class CharPrinter:
    """Char: a Unicode scalar value (DW_ATE_UTF, 32 bits), shown as TML writes it: 'x'."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        code = int(self.val)
        try:
            text = chr(code)
        except ValueError:
            return "'\\u{%x}'" % code
        if text == "'" or text == "\\":
            return "'\\%s'" % text
        if text.isprintable():
            return "'%s'" % text
        return "'\\u{%x}'" % code


class ListPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        return "List(len=%d)" % int(self.val["len"])

    def children(self):
        data = self.val["data"]
        for i in range(int(self.val["len"])):
            yield "[%d]" % i, (data + i).dereference()

    def display_hint(self):
        return "array"


class HashMapPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        return "HashMap(len=%d)" % int(self.val["live"])

    def children(self):
        entries = self.val["entries"]
        data = entries["data"]
        for i in range(int(entries["len"])):
            variant = _enum_variant((data + i).dereference())
            if variant is None or variant[0] != "Full":
                continue
            (_, key), (_, value) = variant[1]
            yield "[%d].key" % i, key
            yield "[%d].value" % i, value

    def display_hint(self):
        return "map"


class PointerBoxPrinter:
    """Heap[T] and Shared[T]: the box's name and the value it points to."""

    def __init__(self, name, val):
        self.name = name
        self.val = val

    def to_string(self):
        ptr = self.val["ptr"]
        if int(ptr) == 0:
            return "%s(<null>)" % self.name
        target = ptr.dereference()
        if self.name == "Shared":
            target = target["value"]
        return "%s(%s)" % (self.name, _fmt(target))


class TuplePrinter:
    """(I64, Str): a structure named as the tuple type, members __0, __1, …"""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        ty = self.val.type.strip_typedefs()
        return "(%s)" % ", ".join(_fmt(self.val[f]) for f in ty.fields())


class EnumPrinter:
    def __init__(self, variant):
        self.variant = variant

    def to_string(self):
        """As TML writes the value: `Nothing`, `Just(3)`, `Rect { w: 2, h: 5 }` (tuple fields are named __0, __1…)."""
        name, fields = self.variant
        if not fields:
            return name
        if all(re.match(r"^__\d+$", f) for f, _ in fields):
            return "%s(%s)" % (name, ", ".join(_fmt(v) for _, v in fields))
        return "%s { %s }" % (name, ", ".join("%s: %s" % (f, _fmt(v)) for f, v in fields))


_BOXES = re.compile(r"^(Heap|Shared)\[")


def tml_lookup(val):
    if val.type.name == "Str":
        return StrPrinter(val)
    if val.type.name == "Char":
        return CharPrinter(val)
    ty = val.type.strip_typedefs()
    if ty.code != gdb.TYPE_CODE_STRUCT or ty.tag is None:
        return None
    tag = ty.tag
    if tag.startswith("("):
        return TuplePrinter(val)
    if tag.startswith("List["):
        return ListPrinter(val)
    if tag.startswith("HashMap["):
        return HashMapPrinter(val)
    box = _BOXES.match(tag)
    if box:
        return PointerBoxPrinter(box.group(1), val)
    variant = _enum_variant(val)
    if variant is not None:
        return EnumPrinter(variant)
    return None


def register(objfile):
    if objfile is None:
        gdb.pretty_printers.append(tml_lookup)
    else:
        objfile.pretty_printers.append(tml_lookup)


register(gdb.current_objfile())
