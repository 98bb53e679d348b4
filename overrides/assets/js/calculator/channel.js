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

  // `url`: the worker's script, or a running Worker to wrap (see adopt()).
  constructor(url, { onProgress = () => {}, name = "calculator" } = {}) {
    this.#onProgress = onProgress;
    this.#worker = url instanceof Worker ? url : new Worker(url, { type: "module", name });
    this.#worker.addEventListener("message", (event) => this.#handle(event));
    this.#worker.addEventListener("error", (event) => this.#handle(event));
    this.#worker.addEventListener("messageerror", (event) => this.#handle(event));
  }

  // Take over a worker that boot.js started, with the SETUP it posted as request `setupId`: every
  // event it kept meanwhile is handled now, in order. Returns the channel and the SETUP's reply.
  static adopt({ worker, events, release }, { setupId = 1, ...options } = {}) {
    const channel = new WorkerChannel(worker, options);
    channel.#nextId = setupId + 1;
    const reply = new Promise((resolve) => channel.#pending.set(setupId, resolve));
    release();
    events.splice(0).forEach((event) => channel.#handle(event));
    return { channel, reply };
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

  #handle(event) {
    if (event.type === "message") this.#receive(event.data);
    else if (event.type === "messageerror") this.#fail(ERRORS.WORKER_FAILED, "a message could not be read");
    else {
      event.preventDefault();
      this.#fail(ERRORS.WORKER_FAILED, event.message || "the worker could not run");
    }
  }

  #receive(message) {
    if (!isReply(message)) {
      const type = message && typeof message === "object" ? message.type : typeof message;
      this.#fail(ERRORS.UNKNOWN_TYPE, `the worker sent an unknown message type: ${String(type)}`);
      return;
    }
    if (message.type === TYPES.PROGRESS) {
      this.#onProgress(message.stage, message.received);
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
