// sparse.mjs: the start-up snapshot's file format without its zero pages (node --test).

import assert from "node:assert/strict";
import { test } from "node:test";

import { pack, unpack } from "../../../overrides/assets/js/calculator/sparse.mjs";

const PAGE = 4096;

// Pages 0 and 3 hold data, 1 and 2 are zero, and the image ends in a short last page.
function image() {
  const bytes = new Uint8Array(4 * PAGE + 100);
  bytes[5] = 1;
  bytes.fill(7, 3 * PAGE + 10, 3 * PAGE + 20);
  bytes[4 * PAGE + 99] = 9;
  return bytes;
}

test("a round trip gives the image back, byte for byte", () => {
  const original = image();
  assert.deepEqual(unpack(pack(original)), original);
});

test("zero pages are left out", () => {
  const original = image();
  const packed = pack(original);
  // three pages kept (0, 3 and the short one), two left out
  assert.ok(packed.length < 3 * PAGE + 200, `${packed.length} bytes`);
  assert.ok(packed.length >= 2 * PAGE + 100);
});

test("an all-zero image packs to its header and map, and unpacks to zeros", () => {
  const zeros = new Uint8Array(10 * PAGE);
  const packed = pack(zeros);
  assert.ok(packed.length < 64);
  assert.deepEqual(unpack(packed), zeros);
});

test("an image that is not a whole number of pages keeps its length", () => {
  const odd = new Uint8Array(PAGE + 1).fill(3);
  assert.equal(unpack(pack(odd)).length, PAGE + 1);
});

test("unpacking works on a view into a larger buffer", () => {
  const packed = pack(image());
  const larger = new Uint8Array(packed.length + 16);
  larger.set(packed, 8);
  assert.deepEqual(unpack(larger.subarray(8, 8 + packed.length)), image());
});

test("what is not a packed snapshot is refused", () => {
  assert.throws(() => unpack(new Uint8Array(8)), /not a packed snapshot/);
  assert.throws(() => unpack(new TextEncoder().encode("just some text, long enough")), /not a packed snapshot/);
});

test("a truncated or padded snapshot is refused, never unpacked wrong", () => {
  const packed = pack(image());
  assert.throws(() => unpack(packed.subarray(0, packed.length - 1)), /truncated/);
  const padded = new Uint8Array(packed.length + 1);
  padded.set(packed);
  assert.throws(() => unpack(padded), /trailing bytes/);
});
