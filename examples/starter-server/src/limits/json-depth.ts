/**
 * True when `text` nests arrays and objects deeper than `maxDepth`. Checked before `JSON.parse`, so a
 * 30 KB body nesting 5,000 levels never becomes a value that recursive code (validation, `JSON.stringify` of
 * an error) could overflow the stack on. One pass over the characters; brackets inside strings do not count.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}
