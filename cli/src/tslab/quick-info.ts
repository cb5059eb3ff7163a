/**
 * What Shift-Tab (inspect_request) shows. tslab prints TypeScript's quick info as is, which for a
 * class is only `class Sequential`: the one thing a student wants there, how to construct it, is
 * missing. And it joins documentation parts verbatim, so `{@link fit}` shows with its braces.
 *
 * For a class we ask the compiler a second question, the quick info of the same name in a
 * `new X` expression appended after the cell, which is the constructor's signature and doc.
 */
import type * as TS from "typescript";

type QuickInfo = TS.QuickInfo;
type Part = TS.SymbolDisplayPart;

/** Documentation text with `{@link X}` / `{@link X text}` rendered as `X` / `text`. */
export function partsText(parts: readonly Part[] | undefined): string {
  if (!parts) return "";
  let out = "";
  let link: { name: string; text: string } | null = null;
  for (const p of parts) {
    if (p.kind === "link") {
      // "{@link " opens, "}" closes.
      if (link) {
        out += link.text.trim() || link.name.trim();
        link = null;
      } else link = { name: "", text: "" };
    } else if (link && p.kind === "linkName") link.name += p.text;
    else if (link && p.kind === "linkText") link.text += p.text;
    else if (link) link.name += p.text;
    else out += p.text;
  }
  if (link) out += link.text.trim() || link.name.trim();
  return out;
}

function tagLines(tags: readonly TS.JSDocTagInfo[] | undefined): string[] {
  const out: string[] = [];
  for (const tag of tags ?? []) {
    const text = partsText(tag.text);
    out.push(text ? `@${tag.name} ${text}` : `@${tag.name}`);
  }
  return out;
}

/** True for a class, also when it is an imported name (quick info kind "alias"). */
export function isClassInfo(info: QuickInfo): boolean {
  return info.kind === "class" || (info.kind === "alias" && (info.displayParts ?? []).some((p) => p.kind === "keyword" && p.text === "class"));
}

/**
 * A signature as a student reads it: an imported name's quick info says `(alias) class X` and
 * adds an `import X` line, which tells nothing about X.
 */
function signatureText(info: QuickInfo): string {
  const text = partsText(info.displayParts);
  if (!text.startsWith("(alias) ")) return text;
  return text
    .slice("(alias) ".length)
    .split("\n")
    .filter((l) => !/^import [\w$.]+$/.test(l))
    .join("\n");
}

/** Signature line(s), then documentation and tags, as plain text. */
export function printQuickInfo(info: QuickInfo, ctor?: QuickInfo | null): string {
  const heads = [signatureText(info)];
  if (ctor) heads.push(signatureText(ctor));
  const docs = [partsText(info.documentation), ...(ctor ? [partsText(ctor.documentation)] : [])].filter((d) => d.trim() !== "");
  const tags = [...tagLines(info.tags), ...(ctor ? tagLines(ctor.tags) : [])];
  const body = [...docs, ...tags];
  return heads.join("\n") + (body.length > 0 ? "\n\n" + body.join("\n") : "");
}

/**
 * Sources and cursor positions that ask for the constructor of the class named at `info`: the
 * bare `new X` first (names from earlier cells; robust when the cell itself is half typed), then
 * the same after the cell's code (a class or import declared in this cell).
 */
export function constructorQueries(code: string, info: QuickInfo): { src: string; position: number }[] {
  const start = info.textSpan.start;
  const name = code.slice(start, start + info.textSpan.length);
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return [];
  // `nn.Linear`: keep the qualifier, so that the same class is found.
  const qualifier = (/(?:[A-Za-z_$][\w$]*\s*\.\s*)*$/.exec(code.slice(0, start))?.[0] ?? "").replace(/\s+/g, "");
  const bare = `new ${qualifier}`;
  const after = `${code}\n;new ${qualifier}`;
  return [
    { src: `${bare}${name}`, position: bare.length },
    { src: `${after}${name}`, position: after.length },
  ];
}
