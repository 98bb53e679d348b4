// The start-up snapshot's file format: the memory image without its all-zero 4 KiB pages.
//
// More than half of the 31 MB image is zero pages. Leaving them out halves what the browser must
// decompress, hand to the worker and hash; the worker puts them back (a new Uint8Array is zeroed).
// 4 KiB pages leave out 16 % more than 64 KiB ones (measured: 14.1 MB kept instead of 16.7 MB), for a
// map of one byte per page (7.7 KB).
// A .mjs file so that Node (the maker, the tests) reads it as a module too. Used by tools/make_snapshot.mjs
// (pack) and worker.js (unpack); layout, little-endian:
//   "PYSP" | u32 format (1) | u32 length of the image | u32 page size | one byte per page (1: kept) | kept pages

const MAGIC = 0x50535950; // "PYSP"
const HEADER = 16;

export function pack(image, pageSize = 4096) {
  const pages = Math.ceil(image.length / pageSize);
  const kept = new Uint8Array(pages);
  let keptBytes = 0;
  for (let page = 0; page < pages; page++) {
    const bytes = image.subarray(page * pageSize, Math.min(image.length, (page + 1) * pageSize));
    if (bytes.some((byte) => byte !== 0)) {
      kept[page] = 1;
      keptBytes += bytes.length;
    }
  }
  const out = new Uint8Array(HEADER + pages + keptBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, image.length, true);
  view.setUint32(12, pageSize, true);
  out.set(kept, HEADER);
  let offset = HEADER + pages;
  for (let page = 0; page < pages; page++) {
    if (!kept[page]) continue;
    const bytes = image.subarray(page * pageSize, Math.min(image.length, (page + 1) * pageSize));
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}

export function unpack(packed) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.length < HEADER || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== 1) {
    throw new Error("not a packed snapshot");
  }
  const length = view.getUint32(8, true);
  const pageSize = view.getUint32(12, true);
  const pages = Math.ceil(length / pageSize);
  const image = new Uint8Array(length);
  let offset = HEADER + pages;
  for (let page = 0; page < pages; page++) {
    if (!packed[HEADER + page]) continue;
    const size = Math.min(pageSize, length - page * pageSize);
    if (offset + size > packed.length) throw new Error("packed snapshot is truncated");
    image.set(packed.subarray(offset, offset + size), page * pageSize);
    offset += size;
  }
  if (offset !== packed.length) throw new Error("packed snapshot has trailing bytes");
  return image;
}
