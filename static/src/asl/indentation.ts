/** The indentation style of a text, so inserted parts look like the author's own. */

export interface Indentation {
  insertSpaces: boolean;
  tabSize: number;
  eol: string;
  /** True when the text has no line breaks at all (minified): new parts stay on one line. */
  singleLine: boolean;
}

export function detectIndentation(text: string): Indentation {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const singleLine = !/\n/.test(text.trim());
  let smallest = 0;
  let tabs = 0;
  let spaces = 0;
  for (const line of text.split(/\r?\n/)) {
    const match = /^([ \t]+)\S/.exec(line);
    if (!match) continue;
    if (match[1].startsWith("\t")) {
      tabs += 1;
      continue;
    }
    spaces += 1;
    const width = match[1].length;
    if (smallest === 0 || width < smallest) smallest = width;
  }
  return { insertSpaces: tabs <= spaces, tabSize: smallest || 2, eol, singleLine };
}
