/** Keeping secrets out of error messages and causes: shared by every platform client. */

/** Replaces every occurrence of `secret` (raw or URL-encoded) and any `access_token=` value in `text`. */
export function redactSecret(text: string, secret: string): string {
  let out = text.replace(/(access_token=)[^&\s"'<>]+/g, '$1[redacted]');
  if (secret !== '') {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** Describes a thrown value by its name and message only (both passed through `clean`), so no token rides along in a cause. */
export function sanitizedCause(error: unknown, clean: (text: string) => string): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const inner = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : '';
  const cause = new Error(clean(`${error instanceof Error ? error.message : String(error)}${inner}`));
  cause.name = name;
  cause.stack = `${name}: ${cause.message}`;
  return cause;
}
