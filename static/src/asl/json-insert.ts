/**
 * Insert a property or an array item into JSON text by hand, so nothing outside the new part
 * moves: jsonc-parser's formatted `modify` re-formats the whole line range it touches (a
 * neighbouring one-line object would be spread over lines). The new part copies its
 * surroundings: the siblings' indentation and key separator, one line when the container is on one.
 */
import { applyEdits, createScanner, format, type FormattingOptions } from "jsonc-parser";

import type { Indentation } from "./indentation";
import type { AslArray, AslObject } from "./value";

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function onOneLine(text: string, from: number, to: number): boolean {
  return !text.slice(from, to).includes("\n");
}

/** JSON text on one line with ", " and ": " (the style of one-line objects in definitions). */
export function inlineJson(json: string): string {
  const scanner = createScanner(json, true);
  let out = "";
  for (let kind = scanner.scan(); kind !== 17; kind = scanner.scan()) {
    const token = json.substr(scanner.getTokenOffset(), scanner.getTokenLength());
    out += token === "," ? ", " : token === ":" ? ": " : token;
  }
  return out;
}

/** JSON text laid out with the document's indentation, continuation lines starting at `indent`. */
export function blockJson(json: string, indentation: Indentation, indent: string): string {
  const options: FormattingOptions = { insertSpaces: indentation.insertSpaces, tabSize: indentation.tabSize, eol: indentation.eol };
  const formatted = applyEdits(json.trim(), format(json.trim(), undefined, options));
  return formatted.split(/\r?\n/).join(indentation.eol + indent);
}

function unit(indentation: Indentation): string {
  return indentation.insertSpaces ? " ".repeat(indentation.tabSize) : "\t";
}

export function insertProperty(
  text: string,
  object: AslObject,
  key: string,
  json: string,
  after: string | undefined,
  indentation: Indentation,
): string {
  const { offset, length } = object.range;
  const entries = object.entries;
  const keyText = JSON.stringify(key);
  if (entries.length === 0) {
    if (onOneLine(text, offset, offset + length) && indentation.singleLine) {
      return text.slice(0, offset) + `{${keyText}: ${inlineJson(json)}}` + text.slice(offset + length);
    }
    const outer = lineIndent(text, offset);
    const inner = outer + unit(indentation);
    const body = `{${indentation.eol}${inner}${keyText}: ${blockJson(json, indentation, inner)}${indentation.eol}${outer}}`;
    return text.slice(0, offset) + body + text.slice(offset + length);
  }
  const index = after === undefined ? entries.length - 1 : Math.max(0, entries.findIndex((e) => e.key === after));
  const previous = entries[index === -1 ? entries.length - 1 : index];
  const first = entries[0];
  // The separator between key and value, as the author writes it (": ", " : ", ":").
  const separator = text.slice(first.keyRange.offset + first.keyRange.length, first.value.range.offset);
  const at = previous.value.range.offset + previous.value.range.length;
  if (onOneLine(text, offset, offset + length)) {
    return text.slice(0, at) + `, ${keyText}${separator}${inlineJson(json)}` + text.slice(at);
  }
  const indent = lineIndent(text, previous.keyRange.offset);
  return text.slice(0, at) + `,${indentation.eol}${indent}${keyText}${separator}${blockJson(json, indentation, indent)}` + text.slice(at);
}

export function insertItem(text: string, array: AslArray, index: number, json: string, indentation: Indentation): string {
  const { offset, length } = array.range;
  const items = array.items;
  if (items.length === 0) {
    if (onOneLine(text, offset, offset + length) && indentation.singleLine) {
      return text.slice(0, offset) + `[${inlineJson(json)}]` + text.slice(offset + length);
    }
    const outer = lineIndent(text, offset);
    const inner = outer + unit(indentation);
    return text.slice(0, offset) + `[${indentation.eol}${inner}${blockJson(json, indentation, inner)}${indentation.eol}${outer}]` + text.slice(offset + length);
  }
  const oneLine = onOneLine(text, offset, offset + length);
  if (index < items.length) {
    // Before an existing item: the new item, then a separator, in front of it.
    const before = items[index].range.offset;
    const indent = lineIndent(text, before);
    const value = oneLine ? inlineJson(json) : blockJson(json, indentation, indent);
    return text.slice(0, before) + value + (oneLine ? ", " : `,${indentation.eol}${indent}`) + text.slice(before);
  }
  const last = items[items.length - 1];
  const at = last.range.offset + last.range.length;
  if (oneLine) return text.slice(0, at) + `, ${inlineJson(json)}` + text.slice(at);
  const indent = lineIndent(text, last.range.offset);
  return text.slice(0, at) + `,${indentation.eol}${indent}${blockJson(json, indentation, indent)}` + text.slice(at);
}
