// For the few tests that provoke an internal compiler error on purpose (to test how one is reported): run the
// body with the suite's internal-error log (tests/setup/internal_error_guard.ts) turned off.
export async function withoutInternalErrorLog<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env['TMLC_INTERNAL_ERROR_LOG'];
  delete process.env['TMLC_INTERNAL_ERROR_LOG'];
  try {
    return await body();
  } finally {
    if (saved !== undefined) process.env['TMLC_INTERNAL_ERROR_LOG'] = saved;
  }
}
