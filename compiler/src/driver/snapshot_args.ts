// Node's `--snapshot-blob FILE` (or `--snapshot-blob=FILE`) among a process's own arguments (process.execArgv): the
// blob a process was started from (cli/snapshot.ts), and the arguments a Node it forks must not inherit, or the child
// would start as the CLI again (testing/compile_pool.ts).
export function snapshotBlobArgument(execArgv: readonly string[]): { blob: string | null; others: string[] } {
  let blob: string | null = null;
  const others: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (a === '--snapshot-blob') blob = execArgv[++i] ?? null;
    else if (a.startsWith('--snapshot-blob=')) blob = a.slice('--snapshot-blob='.length);
    else others.push(a);
  }
  return { blob, others };
}
