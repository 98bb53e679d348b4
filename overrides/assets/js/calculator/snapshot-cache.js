// A copy of the start-up snapshot in the site's origin private file system (OPFS), for the next visit.
//
// The browser's HTTP cache keeps the snapshot compressed, so every visit pays again to inflate 14 MB
// and pass it to the worker (about 0.3 s on a 2-core machine); read from this copy it takes a few ms.
// It is a cache and nothing else: one file named after the snapshot's sha256, checked against that
// hash on every read (worker.js), replaced when the snapshot changes, and cleared with the site's
// data. Where OPFS is missing, full or locked by another tab, every function here quietly does nothing.
// Only a dedicated worker may use this: synchronous access handles exist nowhere else.

const DIRECTORY = "calculator-snapshot";

async function directory() {
  const root = await navigator.storage?.getDirectory?.();
  return root ? root.getDirectoryHandle(DIRECTORY, { create: true }) : null;
}

// The kept copy of `name`, or null.
export async function readKept(name) {
  let handle = null;
  try {
    const file = await (await directory())?.getFileHandle(name);
    if (!file?.createSyncAccessHandle) return null;
    handle = await file.createSyncAccessHandle();
    const bytes = new Uint8Array(handle.getSize());
    return handle.read(bytes, { at: 0 }) === bytes.length && bytes.length > 0 ? bytes : null;
  } catch {
    return null; // not there (NotFoundError), locked by another tab, or no OPFS at all
  } finally {
    handle?.close();
  }
}

// Keep `bytes` as `name`, in place of any older snapshot. It is written under a temporary name and
// renamed when complete, so a file named `name` is whole (a torn one would fail its hash check anyway).
export async function keep(name, bytes) {
  let handle = null;
  try {
    const folder = await directory();
    if (!folder) return false;
    for await (const old of folder.keys()) await folder.removeEntry(old).catch(() => {});
    const file = await folder.getFileHandle(`${name}.partial`, { create: true });
    if (!file.createSyncAccessHandle) return false;
    handle = await file.createSyncAccessHandle();
    handle.truncate(0);
    const written = handle.write(bytes, { at: 0 });
    handle.flush();
    handle.close();
    handle = null;
    if (written !== bytes.length || typeof file.move !== "function") return false;
    await file.move(name);
    return true;
  } catch {
    return false;
  } finally {
    handle?.close();
  }
}
