// Type-based alias analysis tags (`!tbaa`) for the memory whose type never changes while it is live, so that LLVM can
// tell a store into a new object from the load of a list element or of a pool's free-list head (docs/decisions.md,
// "Alias tags"). Two kinds of access are tagged, and nothing else:
//   - a class instance's field of a number type (`(*obj).f`): by that type. An object's memory holds one class
//     from its allocation to its free (a pool slot is reused by its own class only).
//   - any load or store of a class reference, wherever it is: one type, "tml class reference". Every word that
//     holds a class reference is accessed as one whenever it is accessed with a tag.
// Untagged accesses (locals, structs, enums, raw pointers in `lowlevel` code) may alias anything, so tagging a subset
// is sound as long as no memory is accessed under two different tags, which the two rules above keep. The nodes hang
// from clang's C root, so they also compare with the runtime's own tags in a --release build's inline bitcode: a
// tagged `double` field store is known not to write the runtime's `long` reference count or `any pointer` pool head.
import llvm from './llvm.js';
import type { Type } from '../sema/types.js';

/** clang's root and its character type, which aliases every other type. */
const ROOT = 'Simple C/C++ TBAA';
const CHAR = 'omnipotent char';
const CLASS_REFERENCE = 'tml class reference';

export class AliasTags {
  private readonly root: llvm.MDNode;
  private readonly char: llvm.MDNode;
  private readonly tags = new Map<string, llvm.MDNode>();

  constructor(private readonly ctx: llvm.LLVMContext) {
    this.root = llvm.MDNode.getTBAARoot(ctx, ROOT);
    this.char = llvm.MDNode.getTBAAScalarType(ctx, CHAR, this.root);
  }

  /** The access tag of a class reference. */
  classReference(): llvm.MDNode {
    return this.scalar(CLASS_REFERENCE);
  }

  /** The access tag of a class field of type `ty`, or null for a type that is not tagged. */
  field(ty: Type): llvm.MDNode | null {
    const name = scalarName(ty);
    return name === null ? null : this.scalar(name);
  }

  private scalar(name: string): llvm.MDNode {
    let tag = this.tags.get(name);
    if (!tag) {
      const node = llvm.MDNode.getTBAAScalarType(this.ctx, name, this.char);
      tag = llvm.MDNode.getTBAAAccessTag(this.ctx, node, node, 0);
      this.tags.set(name, tag);
    }
    return tag;
  }
}

/** clang's name for the C type of the same size (int64_t is `long` on both LP64 targets), so that a field the runtime
 * also reads (an atomic counter) has one type; null for what is not tagged (Bool, Char, 8-bit integers alias
 * everything as `char` would, and pointers, `Str` and aggregates are not tagged). */
function scalarName(ty: Type): string | null {
  if (ty.k === 'float') return ty.bits === 64 ? 'double' : 'float';
  if (ty.k === 'int') {
    switch (ty.bits) {
      case 64:
        return 'long';
      case 32:
        return 'int';
      case 16:
        return 'short';
      default:
        return null;
    }
  }
  return null;
}
