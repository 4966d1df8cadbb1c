/**
 * The first name written twice in one object of a JSON text, with the names of the objects it is in
 * (outermost first); null when there is none. `JSON.parse` keeps the last of two equal names without a
 * word, so a setting that maps names to things would lose an entry to a typo. `text` is JSON that
 * `JSON.parse` has accepted: this only follows strings and brackets, it does not check the rest.
 */
export function duplicateJsonKey(text: string): { path: string[]; key: string } | null {
  // One frame per open object or array: an object's names so far, and the name it is under.
  const open: { names: Set<string> | null; under: string | null }[] = [];
  let name: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const token = text.slice(i, end + 1);
      i = end;
      const frame = open.at(-1);
      let next = end + 1;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      // A string followed by ':' in an object is a name; any other is a value.
      if (frame?.names && text[next] === ':') {
        name = JSON.parse(token) as string;
        if (frame.names.has(name)) return { path: open.slice(1).map((f) => f.under ?? ''), key: name };
        frame.names.add(name);
      }
    } else if (c === '{' || c === '[') {
      open.push({ names: c === '{' ? new Set() : null, under: name });
      name = null;
    } else if (c === '}' || c === ']') {
      open.pop();
      name = null;
    } else if (c === ',') {
      name = null;
    }
  }
  return null;
}
