// The page's side of the worker protocol: one small wrapper that hides postMessage.
//
// request(type, payload) posts {id, type, ...payload} and resolves with the worker's reply of the same
// id. It never rejects: a failure comes back as an ERROR message (see protocol.js), including a worker
// that crashed, replied with a type outside the protocol, or was terminated.

import { ERRORS, TYPES, errorMessage, isReply } from "./protocol.js";

export class WorkerChannel {
  #worker;
  #nextId = 1;
  #pending = new Map();
  #onProgress;
  #closed = null;

  constructor(url, { onProgress = () => {}, name = "calculator" } = {}) {
    this.#onProgress = onProgress;
    this.#worker = new Worker(url, { type: "module", name });
    this.#worker.addEventListener("message", (event) => this.#receive(event.data));
    this.#worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.#fail(ERRORS.WORKER_FAILED, event.message || "the worker could not run");
    });
    this.#worker.addEventListener("messageerror", () => this.#fail(ERRORS.WORKER_FAILED, "a message could not be read"));
  }

  request(type, payload = {}) {
    const id = this.#nextId++;
    if (this.#closed) return Promise.resolve(errorMessage(id, this.#closed.code, this.#closed.detail));
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ ...payload, id, type });
    });
  }

  // Stop the worker; every request still waiting gets an ERROR with this code.
  close(code = ERRORS.WORKER_FAILED, detail = "closed") {
    this.#fail(code, detail);
  }

  #receive(message) {
    if (!isReply(message)) {
      const type = message && typeof message === "object" ? message.type : typeof message;
      this.#fail(ERRORS.UNKNOWN_TYPE, `the worker sent an unknown message type: ${String(type)}`);
      return;
    }
    if (message.type === TYPES.PROGRESS) {
      this.#onProgress(message.stage);
      return;
    }
    const resolve = this.#pending.get(message.id);
    if (resolve) {
      this.#pending.delete(message.id);
      resolve(message);
    }
  }

  #fail(code, detail) {
    if (this.#closed) return;
    this.#closed = { code, detail };
    this.#worker.terminate();
    for (const [id, resolve] of this.#pending) resolve(errorMessage(id, code, detail));
    this.#pending.clear();
  }
}
