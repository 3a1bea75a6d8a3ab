// Loads the WebAssembly package built into pkg/ (see build.sh) and gives its functions
// with JSON parsed. Rust's wasm32 target aborts on a panic: the call then throws a
// WebAssembly.RuntimeError and the instance cannot be used again, so `call` starts a
// fresh instance and throws `InternalError`; the page says so and builds its evaluator
// again. (The library does not panic on input; this is the last line of defence.)

let instance = null;
let generation = 0;

/** Thrown after an instance aborted; a fresh one is ready. */
export class InternalError extends Error {}

/** Loads (or reloads) the package; a new module URL gives a new instance. */
export async function load() {
  generation += 1;
  const pkg = await import(`./pkg/ntm_wasm.js?instance=${generation}`);
  await pkg.default();
  instance = pkg;
  return pkg;
}

/** Runs `f(pkg)`; on an aborted instance, reloads and throws `InternalError`. */
export async function call(f) {
  try {
    return f(instance);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      console.error('ntm-wasm instance aborted', e);
      await load();
      throw new InternalError(String(e));
    }
    throw e;
  }
}
