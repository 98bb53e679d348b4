// The start-up snapshot's file format (overrides/assets/js/calculator/sparse.mjs): format 2 XORs the
// image with the runtime's initial memory, read from the .wasm's data segments.
//   node --test tests/unit/js/

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { initialMemory, needsBase, pack, unpack } from "../../../overrides/assets/js/calculator/sparse.mjs";

// A WebAssembly module with one memory and the given active data segments [[address, bytes], ...].
function wasmWith(segments) {
  const leb = (n) => {
    const out = [];
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    return out;
  };
  const section = (id, body) => [id, ...leb(body.length), ...body];
  const memory = section(5, [1, 0, 1]); // one memory, min 1 page
  const data = section(11, [
    ...leb(segments.length),
    ...segments.flatMap(([address, bytes]) => [0, 0x41, ...leb(address), 0x0b, ...leb(bytes.length), ...bytes]),
  ]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...memory, ...data]);
}

test("initialMemory lays the data segments out from address 0, and WebAssembly agrees", async () => {
  const wasm = wasmWith([[16, [1, 2, 3]], [300, [9, 8]]]);
  const memory = initialMemory(wasm);
  assert.equal(memory.length, 302);
  assert.deepEqual([...memory.subarray(16, 19)], [1, 2, 3]);
  assert.deepEqual([...memory.subarray(300, 302)], [9, 8]);
  assert.equal(memory.subarray(0, 16).some((b) => b !== 0) || memory.subarray(19, 300).some((b) => b !== 0), false);
  const module = await WebAssembly.compile(wasm);
  assert.ok(WebAssembly.Module.exports(module).length === 0); // a valid module
});

test("initialMemory refuses what is not a module", () => {
  assert.throws(() => initialMemory(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a WebAssembly module/);
});

test("format 2 round-trips, leaves out what the base already holds, and needs the base", () => {
  const base = new Uint8Array(8192).map((_, i) => (i * 7) % 251 || 1);
  const image = new Uint8Array(4 * 4096 + 100);
  image.set(base, 144); // as in Pyodide's image: a header, then memory from address 0
  image.set([5, 6, 7], 1);
  image[3 * 4096 + 5] = 42;
  const packed = pack(image, { memory: base, offset: 144 });
  assert.ok(needsBase(packed));
  assert.ok(packed.length < 3 * 4096, `pages equal to the base are left out (${packed.length} bytes)`);
  assert.deepEqual(unpack(packed, base), image);
  assert.throws(() => unpack(packed), /initial memory/);
  const other = base.slice();
  other[100] ^= 1;
  assert.notDeepEqual(unpack(packed, other), image);
});

test("format 1 still round-trips without a base", () => {
  const image = new Uint8Array(3 * 4096);
  image[5000] = 1;
  const packed = pack(image);
  assert.equal(needsBase(packed), false);
  assert.deepEqual(unpack(packed), image);
});

test("Pyodide's own .wasm: a fixed initial memory of its data segments", async () => {
  const wasm = new Uint8Array(await readFile(new URL("../../../node_modules/pyodide/pyodide.asm.wasm", import.meta.url)));
  const memory = initialMemory(wasm);
  assert.ok(memory.length > 1_000_000 && memory.length < 64 * 2 ** 20, `${memory.length} bytes`);
});
