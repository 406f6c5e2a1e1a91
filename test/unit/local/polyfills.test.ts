import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installPromiseWithResolvers, type Resolvers } from '../../../lib/local/polyfills.ts';

type WithResolvers = { withResolvers: <T>() => Resolvers<T> };

/** A Promise subclass that hides any inherited withResolvers, as Promise is on Node 20. */
function promiseWithoutWithResolvers(): PromiseConstructor {
  class BarePromise<T> extends Promise<T> {}
  Object.defineProperty(BarePromise, 'withResolvers', { value: undefined, writable: true, configurable: true });
  return BarePromise as unknown as PromiseConstructor;
}

describe('installPromiseWithResolvers', () => {
  it('installs withResolvers where it is missing, building promises of that constructor', async () => {
    const Bare = promiseWithoutWithResolvers();
    expect(installPromiseWithResolvers(Bare)).toBe(true);
    const resolved = (Bare as unknown as WithResolvers).withResolvers<number>();
    expect(resolved.promise).toBeInstanceOf(Bare);
    resolved.resolve(42);
    await expect(resolved.promise).resolves.toBe(42);
    const rejected = (Bare as unknown as WithResolvers).withResolvers<number>();
    rejected.reject(new RangeError('no'));
    await expect(rejected.promise).rejects.toThrow(RangeError);
  });

  it('leaves an existing withResolvers alone', () => {
    const Bare = promiseWithoutWithResolvers();
    const native = () => 'native';
    Object.defineProperty(Bare, 'withResolvers', { value: native, writable: true, configurable: true });
    expect(installPromiseWithResolvers(Bare)).toBe(false);
    expect((Bare as unknown as { withResolvers: unknown }).withResolvers).toBe(native);
  });

  it('makes Promise.withResolvers available on the running Node once imported', async () => {
    const { promise, resolve } = (Promise as unknown as WithResolvers).withResolvers<string>();
    resolve('done');
    await expect(promise).resolves.toBe('done');
    // Imported again, it does not patch twice.
    expect(installPromiseWithResolvers()).toBe(false);
  });
});

describe('the polyfills module', () => {
  it('is imported only by the local ASL runner, never by Lambda code', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const sources = ['lib', 'functions', 'infra'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(root, dir, f)),
    );
    const importers = sources.filter((file) => /from '[^']*polyfills\.ts'|import '[^']*polyfills\.ts'/.test(readFileSync(file, 'utf8')));
    expect(importers.map((file) => relative(root, file))).toEqual(['lib/local/asl-runner.ts']);
  });
});
