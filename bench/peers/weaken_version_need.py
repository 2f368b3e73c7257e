#!/usr/bin/python3
"""Mark one symbol-version requirement of an ELF shared object as weak (VER_FLG_WEAK).

Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked with GCC 13 and asks for
GLIBCXX_3.4.32, while Debian 12's libstdc++ stops at GLIBCXX_3.4.30. The only symbol under
that version is std::ios_base_library_init(), a link-time anchor that nothing calls, so the
library works once the dynamic loader stops insisting on the version. The loader skips a
missing version whose Vernaux entry carries VER_FLG_WEAK (0x2); this script sets that flag.

Edit only a build-output copy, never the file in the NuGet cache. Idempotent.

Usage: weaken_version_need.py <file.so> <VERSION> [<VERSION> ...]
"""

import os
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def c_string(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii")


def weaken(path, versions):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit(f"{path}: not a little-endian 64-bit ELF file")

    # ELF64 header: section header table offset, entry size, count.
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)

    def section(index):
        # Elf64_Shdr: name, type, flags, addr, offset, size, link, info, addralign, entsize.
        return struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + index * e_shentsize)

    changed, found = [], set()
    for i in range(e_shnum):
        _, sh_type, _, _, sh_offset, _, sh_link, sh_info, _, _ = section(i)
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab = section(sh_link)[4]
        need = sh_offset
        for _ in range(sh_info):  # sh_info = number of Verneed entries
            # Elf64_Verneed: version, cnt, file, aux, next.
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", data, need)
            aux = need + vn_aux
            for _ in range(vn_cnt):
                # Elf64_Vernaux: hash, flags, other, name, next.
                _, vna_flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                name = c_string(data, strtab + vna_name)
                if name in versions:
                    found.add(name)
                    if not vna_flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, aux + 4, vna_flags | VER_FLG_WEAK)
                        changed.append(name)
                aux += vna_next
            need += vn_next

    missing = set(versions) - found
    if missing:
        print(f"{path}: no requirement on {', '.join(sorted(missing))}; nothing to do for it")
    if changed:
        # Write a new file and rename it over the old one: should the build have hard-linked the
        # output to the NuGet cache, the cached copy stays untouched.
        temporary = path + ".weakening"
        with open(temporary, "wb") as f:
            f.write(data)
        os.chmod(temporary, os.stat(path).st_mode)
        os.replace(temporary, path)
        print(f"{path}: marked weak: {', '.join(changed)}")
    elif found:
        print(f"{path}: already weak: {', '.join(sorted(found))}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    weaken(sys.argv[1], sys.argv[2:])
