// Errors the store hands to its callers when the disk refuses a write (full, over quota, failing):
// they say what was and was not kept, and carry the system error as their cause and code.

function reason(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOSPC') return 'the disk is full (ENOSPC: no space left on device)';
  if (error.code === 'EDQUOT') return 'the disk quota is exhausted (EDQUOT)';
  return error.message;
}

function wrap(message: string, error: NodeJS.ErrnoException): Error {
  const wrapped: NodeJS.ErrnoException = new Error(message, { cause: error });
  wrapped.code = error.code;
  return wrapped;
}

/** For capture(): none of the caller's events was kept; what was saved before is safe. */
export function journalError(error: NodeJS.ErrnoException, count: number, dir: string): Error {
  return wrap(`could not save ${count} captured event(s) in ${dir}: ${reason(error)}; none of them was kept, and everything saved before is safe`, error);
}

/** For persisting the database file: the journal still holds everything. */
export function persistError(error: NodeJS.ErrnoException, file: string): Error {
  return wrap(`could not write ${file}: ${reason(error)}; every captured event is kept in the journal, and the file is written again when there is room`, error);
}
