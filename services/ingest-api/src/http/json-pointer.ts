/** `key` as one reference token of a JSON pointer (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
