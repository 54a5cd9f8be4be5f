/* The gdb pretty-printers (gdb/tml_printers.py) as an inline script entry (kind 4) of the .debug_gdb_scripts
 * section, as rustc embeds its own: gdb runs it when it loads an executable linked with this object. tmlc links
 * it into `-g` builds only, by asking the linker for `tml_gdb_scripts` (`-Wl,-u,tml_gdb_scripts`); the archive
 * member is otherwise left out. The section is mergeable strings ("MS", entry size 1), so the linker keeps one copy
 * of the NUL-terminated entry; the script must contain no NUL byte. TML_GDB_PRINTERS is the script's path (set by
 * CMakeLists.txt). */
__asm__(".pushsection .debug_gdb_scripts, \"MS\", %progbits, 1\n"
        ".globl tml_gdb_scripts\n"
        "tml_gdb_scripts:\n"
        ".byte 4\n"
        ".ascii \"gdb.inlined-script.tml_printers\\n\"\n"
        ".incbin \"" TML_GDB_PRINTERS "\"\n"
        ".byte 0\n"
        ".popsection\n");
