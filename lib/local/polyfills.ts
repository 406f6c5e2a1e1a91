/**
 * Polyfills the local runtime needs on Node 20: aws-local-stepfunctions 3 calls
 * `Promise.withResolvers` (ES2024, Node 22+) for every Task state. Only lib/local/asl-runner.ts
 * imports this module, and it patches nothing when the running Node already has the method.
 */

/** What `Promise.withResolvers()` returns (ES2024 `PromiseWithResolvers`, absent from the ES2023 lib). */
export interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseConstructorWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

/** ES2024 `Promise.withResolvers`, written against `this` so that it works on subclasses like the original. */
function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
  let resolve: Resolvers<T>['resolve'] = () => {};
  let reject: Resolvers<T>['reject'] = () => {};
  const promise = new this<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Installs `withResolvers` on the given Promise constructor when it lacks one; returns whether it
 * installed it. The target is a parameter so that tests can exercise the Node 20 path on any Node.
 */
export function installPromiseWithResolvers(target: PromiseConstructor = Promise): boolean {
  const ctor = target as PromiseConstructorWithResolvers;
  if (typeof ctor.withResolvers === 'function') return false;
  Object.defineProperty(ctor, 'withResolvers', { value: withResolvers, writable: true, configurable: true, enumerable: false });
  return true;
}

installPromiseWithResolvers();
