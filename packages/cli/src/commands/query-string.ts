/** `?a=1&b=2` from the options that are set (empty when none is). */
export function queryString(params: Record<string, string | number | undefined>): string {
  const set = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return set.length === 0
    ? ''
    : `?${new URLSearchParams(set.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

/** Path segment of a user-given id or name. */
export const segment = (value: string) => encodeURIComponent(value);

/** `--header X-Team=orders`, repeatable. */
export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new Error(`expected NAME=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** `a,b,c` as a list; an empty string is the empty list. */
export const commaList = (value: string) => (value === '' ? [] : value.split(',').map((v) => v.trim()));
