// Ownership, borrowing, tasks and async: the move and borrow checkers and the Send checks. One entry a code: see code_info.ts for what each field is for.
import type { CodeInfo } from './code_info.js';

export const OWNERSHIP_CODES = {
  E0373: {
    title: 'closure captures a reference',
    explanation:
      'References are second-class: a closure may outlive the place a reference points to, so it cannot capture one. Capture an owned value or a copy instead (move it into the closure), or pass the reference as a parameter when calling the closure.',
    example: `func apply(f: func() -> I64) -> I64 { f() }

func main() {
    var list = List[I32]::new()
    list.push(3)
    let r = ref list
    let f = do() -> I64 { r.len() }
    println(apply(f))
}
`,
  },
  E0381: {
    title: 'use of a possibly uninitialised variable',
    explanation:
      'A variable declared without a value is read on a path where nothing has been assigned to it. Give it a value when declaring it, or assign it on every path before the read.',
    example: `func main() {
    let x: I32
    let y = 2
    println(x + y)
}
`,
  },
  E0382: {
    title: 'use of a moved value',
    explanation:
      'The value was moved (passed by value, assigned to another variable, captured by a closure), so the variable no longer owns it and cannot be used. Use the value before moving it, pass a reference (`ref x`) instead of moving, or copy it with `.duplicate()`.',
    example: `func total(xs: List[I32]) -> I32 {
    xs.len() as I32
}

func main() {
    var xs: List[I32] = List::new()
    xs.push(1)
    let n = total(xs)
    println("{xs.len()} {n}")
}
`,
  },
  E0384: {
    title: 'cannot assign twice to an immutable variable',
    explanation:
      'A variable declared with `let` is immutable once it has a value. Declare it with `var` to allow assignment.',
    example: `func main() {
    let limit = 10
    println(limit)
    limit = 20
    println(limit)
}
`,
  },
  E0499: {
    title: 'two mutable borrows at once',
    explanation:
      'A value may have only one mutable reference at a time, and a second `mut ref` is taken while the first is still in use. End the first borrow\'s use before taking the second, or restructure the code so one reference does both.',
    example: `func bump(r: mut ref I32) { *r += 1 }

func main() {
    var n = 0
    let a = mut ref n
    let b = mut ref n
    bump(a)
    bump(b)
    println(n)
}
`,
  },
  E0502: {
    title: 'shared borrow while mutably borrowed (or the reverse)',
    explanation:
      'A value cannot be read through a shared reference while a mutable reference to it is live, nor mutably borrowed while shared references are live. Finish using one reference before creating the other.',
    example: `func main() {
    var xs: List[I32] = List::new()
    xs.push(1)
    let first = ref xs[0]
    xs.push(2)
    println("{first}")
}
`,
  },
  E0503: {
    title: 'use of a mutably borrowed value',
    explanation:
      'The value is used directly while a mutable reference to it is still live. Use it through the reference, or after the reference\'s last use.',
    example: `func main() {
    var n = 1
    let r = mut ref n
    println(n)
    *r = 2
}
`,
  },
  E0505: {
    title: 'move out of a borrowed value',
    explanation:
      'The value is moved while a reference to it is still live, which would leave the reference pointing at nothing. Move it after the reference\'s last use, or move a copy (`.duplicate()`).',
    example: `func consume(xs: List[I32]) {}

func main() {
    var xs: List[I32] = List::new()
    xs.push(1)
    let r = ref xs
    consume(xs)
    println("{r.len()}")
}
`,
  },
  E0506: {
    title: 'assignment to a borrowed value',
    explanation:
      'The value is assigned to while a reference to it is still live, which would change it under the reference. Assign after the reference\'s last use.',
    example: `func main() {
    var n = 1
    let r = mut ref n
    n = 5
    *r = 2
    println(n)
}
`,
  },
  E0507: {
    title: 'move out of a reference',
    explanation:
      'A value behind a reference (or inside a `Heap`, `Shared`, …) is moved out, which would leave the owner with nothing. Copy it with `.duplicate()`, take it with a method that leaves something in its place (such as `take`/`replace`), or work through the reference.',
    example: `class Holder {
    h: Heap[I32]
    new() { this.h = Heap::new(1) }
}
func main() {
    let c = Holder::new()
    let h = c.h
}
`,
  },
  E0508: {
    title: 'move out of an element',
    explanation:
      'An element of an array or collection is moved out by indexing or by a method that copies it, leaving the collection with a hole. Use a reference to the element, copy it with `.duplicate()`, or remove it with a method such as `pop`/`remove`.',
    example: `func main() {
    var xs: List[Heap[I64]] = List::new()
    xs.push(Heap::new(1))
    let first = xs.get(0)
}
`,
  },
  E0509: {
    title: 'move out of a type that implements `Drop`',
    explanation:
      'A value whose type implements `Drop` (or whose owner drops it, such as a `MutexGuard`\'s mutex) cannot be taken apart by moving a field out, since its destructor runs on the whole value. Copy the field, or use a method that hands the value over (such as `into_inner`).',
    example: `func main() {
    let m = Mutex::new(List[Str]::new())
    let g = m.lock()
    let l = *g
    println("{l.len()}")
}
`,
  },
  E0594: {
    title: 'assignment through a shared reference',
    explanation:
      'Data behind a plain `ref` (or inside a `Shared`) is read-only; assigning to it needs a `mut ref` (or a `Mutex`/`Cell` for shared data). Take a `mut ref`, or declare the parameter `mut ref T`.',
    example: `type Point { x: I32, y: I32 }

func reset(p: ref Point) {
    p.x = 0
}

func main() {
    var p = Point { x: 1, y: 2 }
    reset(ref p)
    println(p.x)
}
`,
  },
  E0596: {
    title: 'mutable borrow of an immutable variable',
    explanation:
      'A mutable borrow or an in-place update (such as calling a `mut this` method, or assigning a field) needs the variable to be declared with `var`. Declare it with `var`, or take a `mut ref` parameter.',
    example: `func main() {
    let xs = [1, 2, 3]
    xs[0] = 10
    println(xs[0])
}
`,
  },
  E0597: {
    title: 'borrowed value does not live long enough',
    explanation:
      'A reference outlives the value it points to: the value is dropped at the end of its scope while the reference is still in use. Declare the value in an outer scope, or stop using the reference before the value\'s scope ends.',
    example: `func main() {
    let a = Heap::new(1)
    var r = ref *a
    {
        let b = Heap::new(2)
        r = ref *b
    }
    println("{r}")
}
`,
  },
  E0716: {
    title: 'temporary value dropped while borrowed',
    explanation:
      'A reference is taken to a temporary value (the result of a call or an expression) that is dropped at the end of the statement, while the reference is used later. Bind the value with `let` first and borrow the variable.',
    example: `func make() -> List[Heap[I64]] {
    var xs: List[Heap[I64]] = List::new()
    xs.push(Heap::new(9))
    xs
}
func main() {
    let r = ref make()[0]
    println("{r.get()}")
}
`,
  },
  E0730: {
    title: 'value cannot be sent to another task',
    explanation:
      'A value passed to `spawn` (or sent through a channel, or captured by a task) must be `Send`: safe to move to another thread. This type is not, for example because it holds a `Shared` (whose count is not atomic) or a reference. Use `Sync` instead of `Shared`, or pass owned data.',
    example: `async func read(s: Shared[I64]) -> I64 {
    *s
}

func main() {
    let t = spawn(read, Shared::new(1))
    println(join(t))
}
`,
  },
  E0781: {
    title: '`await` outside of an async function',
    explanation:
      '`await` suspends an `async func`, so it is only allowed inside one, and not inside a `defer` block (which runs while the function is finishing). Make the function `async`, or use `block_on` at the top level.',
    example: `async func one() -> I64 {
    1
}

func sync_caller() -> I64 {
    await one()
}

func main() {
    println(sync_caller())
}
`,
  },
  E0782: {
    title: '`await` on a value that is not a future',
    explanation:
      '`await` waits for a `Future` (the result of calling an `async func`) or a `Task` (from `spawn`). The awaited value is neither. Remove the `await`, or call an `async func`.',
    example: `async func wrong() -> I64 {
    let n: I64 = 5
    await n
}

func main() {
    println(block_on(wrong()))
}
`,
  },
  E0783: {
    title: '`join` inside an async function',
    explanation:
      '`join` blocks the calling thread until a task finishes, which would stall a worker thread of the executor that is running other tasks. Use `await task` inside an `async func`.',
    example: `async func work(n: I64) -> I64 {
    n * 2
}

async func waits() -> I64 {
    let t = spawn(work, 21)
    join(t)
}

func main() {
    println(block_on(waits()))
}
`,
  },
  E0784: {
    title: '`block_on` inside an async function',
    explanation:
      '`block_on` runs an executor until a future is done, and calling it from an `async func`, which already runs on the executor, would block it. Use `await` instead.',
    example: `async func work(n: I64) -> I64 {
    n * 2
}

async func nested() -> I64 {
    block_on(work(21))
}

func main() {
    println(block_on(nested()))
}
`,
  },
  E0785: {
    title: 'reference live across an `await`',
    explanation:
      'An `async func` may be suspended at an `await` while other code runs, so a reference (or a borrowing guard such as a `MutexGuard`) kept across an `await` could point at changed or freed data. End the borrow before the `await`, or re-take it afterwards.',
    example: `async func bump(m: Sync[Mutex[I64]]) {
    var g = m.lock()
    await delay(1)
    *g += 1
}

func main() {
    let m = Sync::new(Mutex::new(0))
    block_on(bump(m))
}
`,
  },
  E0786: {
    title: 'value that is not `Send` live across an `await` in a task',
    explanation:
      'A spawned task may resume on another worker thread after an `await`, so every value it keeps across an `await` must be `Send`. Drop the value (or let its scope end) before the `await`, or use a `Send` type such as `Sync` instead of `Shared`.',
    example: `async func count(n: I64) -> I64 {
    let s = Shared::new(n)
    await delay(1)
    *s
}

func main() {
    let t = spawn(count, 3)
    println(join(t))
}
`,
  },
} as const satisfies Record<string, CodeInfo>;
