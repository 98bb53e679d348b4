// The start-up snapshot's file format: the memory image without its all-zero 4 KiB pages, and (format
// 2) without what a fresh instance of the runtime already holds.
//
// More than half of the 31 MB image is zero pages. Leaving them out halves what the browser must
// decompress, hand to the worker and hash; the worker puts them back (a new Uint8Array is zeroed).
// 4 KiB pages leave out 16 % more than 64 KiB ones (measured: 14.1 MB kept instead of 16.7 MB), for a
// map of one byte per page (7.7 KB).
// Format 2 also XORs the image, from byte `baseOffset` on, with the memory the runtime's .wasm starts
// with (its active data segments, initialMemory below): the reader's browser downloads those bytes in
// the .wasm anyway, and most of them are unchanged in the image, so they become zeros that compress to
// nothing (bench/tried.md). The .wasm must be the one the snapshot was made with; Pyodide itself
// refuses a snapshot of another build, and the restore check of the maker covers the rest.
// A .mjs file so that Node (the maker, the tests) reads it as a module too. Used by tools/make_snapshot.mjs
// (pack) and load-calculator.mjs (unpack); layout, little-endian:
//   "PYSP" | u32 format (1 or 2) | u32 length of the image | u32 page size | format 2: u32 baseOffset |
//   one byte per page (1: kept) | kept pages

const MAGIC = 0x50535950; // "PYSP"

function headerBytes(format) {
  return format === 2 ? 20 : 16;
}

// XOR `image` (in place) from `offset` on with `base`: applied twice, it gives the image back.
function xorWith(image, base, offset) {
  const end = Math.min(image.length, offset + base.length);
  for (let i = offset; i < end; i++) image[i] ^= base[i - offset];
}

/**
 * The image without its zero pages. With `base` ({memory: Uint8Array, offset}), format 2: the image is
 * first XORed with `base.memory` from byte `base.offset` on (a copy: `image` is not changed).
 */
export function pack(image, base = null, pageSize = 4096) {
  const format = base ? 2 : 1;
  if (base) {
    image = image.slice();
    xorWith(image, base.memory, base.offset);
  }
  const header = headerBytes(format);
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
  const out = new Uint8Array(header + pages + keptBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, format, true);
  view.setUint32(8, image.length, true);
  view.setUint32(12, pageSize, true);
  if (base) view.setUint32(16, base.offset, true);
  out.set(kept, header);
  let offset = header + pages;
  for (let page = 0; page < pages; page++) {
    if (!kept[page]) continue;
    const bytes = image.subarray(page * pageSize, Math.min(image.length, (page + 1) * pageSize));
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}

/** Whether `packed` needs the runtime's initial memory to be unpacked (format 2). */
export function needsBase(packed) {
  return packed.length >= 8 && new DataView(packed.buffer, packed.byteOffset, 8).getUint32(4, true) === 2;
}

/** The memory image from `packed`; format 2 needs `baseMemory`, the runtime's initialMemory(). */
export function unpack(packed, baseMemory = null) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const format = packed.length >= 16 && view.getUint32(0, true) === MAGIC ? view.getUint32(4, true) : 0;
  if (format !== 1 && format !== 2) throw new Error("not a packed snapshot");
  if (format === 2 && !baseMemory) throw new Error("this packed snapshot needs the runtime's initial memory");
  const header = headerBytes(format);
  const length = view.getUint32(8, true);
  const pageSize = view.getUint32(12, true);
  const pages = Math.ceil(length / pageSize);
  const image = new Uint8Array(length);
  let offset = header + pages;
  for (let page = 0; page < pages; page++) {
    if (!packed[header + page]) continue;
    const size = Math.min(pageSize, length - page * pageSize);
    if (offset + size > packed.length) throw new Error("packed snapshot is truncated");
    image.set(packed.subarray(offset, offset + size), page * pageSize);
    offset += size;
  }
  if (offset !== packed.length) throw new Error("packed snapshot has trailing bytes");
  if (format === 2) xorWith(image, baseMemory, view.getUint32(16, true));
  return image;
}

function leb128(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/**
 * The memory a fresh instance of a WebAssembly module starts with: its active data segments (memory 0,
 * constant offsets) laid out from address 0, up to the end of the last one. `wasm` is the module's bytes.
 * Throws on a segment it cannot place (an offset from a global): such a module has no fixed start.
 */
export function initialMemory(wasm) {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw new Error("not a WebAssembly module");
  }
  const segments = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    let size;
    [size, at] = leb128(wasm, at + 1);
    const end = at + size;
    if (id === 11) {
      let count;
      [count, at] = leb128(wasm, at);
      for (let i = 0; i < count; i++) {
        let flags;
        [flags, at] = leb128(wasm, at);
        if (flags === 1) throw new Error("passive data segments are not supported");
        if (flags === 2) [, at] = leb128(wasm, at); // memory index
        if (wasm[at] !== 0x41) throw new Error("a data segment's offset is not a constant");
        let address;
        [address, at] = leb128(wasm, at + 1); // i32.const: non-negative here, so unsigned reads it right
        if (wasm[at] !== 0x0b) throw new Error("a data segment's offset is not a constant");
        let length;
        [length, at] = leb128(wasm, at + 1);
        segments.push([address, wasm.subarray(at, at + length)]);
        at += length;
      }
    }
    at = end;
  }
  const memory = new Uint8Array(Math.max(0, ...segments.map(([address, bytes]) => address + bytes.length)));
  for (const [address, bytes] of segments) memory.set(bytes, address);
  return memory;
}
