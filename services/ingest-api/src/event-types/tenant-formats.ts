import type { Ajv, Format } from 'ajv';
import { fastFormats, fullFormats } from 'ajv-formats/dist/formats.js';
import { linearFormat } from './linear-regexp.js';

// Formats run on every payload like patterns do, so a tenant schema may only name formats that
// match in linear time: every regular-expression format of ajv-formats recompiled for RE2, and the
// function formats whose code was read for this (date and time: short anchored expressions that
// fail at the first unexpected character, then arithmetic; `byte`: fixed-width groups with nothing
// to backtrack into; numbers: arithmetic; `regex`: parses the string, never runs it). `uri` (a
// function around a 2 KB backtracking expression) takes ajv-formats' own fast, looser expression;
// `duration`, `hostname` and `url` use lookaheads, which RE2 has not, and are rewritten below
// (`url` more loosely: any http, https or ftp URL with a host). Every name ajv-formats knows stays
// known, so a schema stored before keeps being enforced.
const LINEAR_FUNCTION_FORMATS = [
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
  'regex',
] as const;

const REGEXP_FORMATS = [
  'uri-reference',
  'uri-template',
  'email',
  'ipv4',
  'ipv6',
  'uuid',
  'json-pointer',
  'json-pointer-uri-fragment',
  'relative-json-pointer',
] as const;

// RFC 3339 appendix A: "P" then weeks alone, or date parts then "T" and at least one time part;
// at least one part in all.
const DURATION = linearFormat(
  /^P(?:\d+W|(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H(?:\d+M)?(?:\d+S)?|\d+M(?:\d+S)?|\d+S))?)$/,
);
const URI = linearFormat(fastFormats.uri as RegExp);
const URL = linearFormat(/^(?:https?|ftp):\/\/[^\s/?#]+[^\s]*$/i);
const HOSTNAME_LABELS = linearFormat(
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i,
);

/** The formats a tenant's schema may use, each matched in time linear in the string's length. */
export function addTenantFormats(ajv: Pick<Ajv, 'addFormat'>): void {
  for (const name of LINEAR_FUNCTION_FORMATS) ajv.addFormat(name, fullFormats[name] as Format);
  for (const name of REGEXP_FORMATS) {
    const re = linearFormat(fullFormats[name] as RegExp);
    ajv.addFormat(name, (s: string) => re.test(s));
  }
  ajv.addFormat('uri', (s: string) => URI.test(s));
  ajv.addFormat('url', (s: string) => URL.test(s));
  ajv.addFormat('duration', (s: string) => s !== 'P' && DURATION.test(s));
  // The lookahead of ajv-formats' expression: 1 to 253 characters, a final dot aside.
  ajv.addFormat(
    'hostname',
    (s: string) => s.length >= 1 && s.length - (s.endsWith('.') ? 1 : 0) <= 253 && HOSTNAME_LABELS.test(s),
  );
}
