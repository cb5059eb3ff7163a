/**
 * What later cells may see of a cell that failed while running (threw, or was interrupted).
 *
 * tslab type-checks each cell against the declarations of the cells before it, and it only
 * records a cell's declarations when the cell succeeds. The values, though, are already there:
 * the compiled cell writes every top-level variable to the shared `exports` object as it goes.
 * So after `let n = 0; while (true) { n++ }` and an interrupt, `exports.n` holds a number but the
 * next cell fails with "Cannot find name 'n'". IPython keeps whatever the cell assigned before it
 * stopped; so do we: the failed cell's declarations are kept for the names that hold a value.
 *
 * A name still `undefined` is dropped: the CommonJS emit starts a cell with `exports.x = void 0`
 * for every name it declares, so `undefined` means the cell never got to that declaration (or a
 * class/const below the failure point). Types (interfaces, aliases) have no value and are kept.
 */
import type * as TS from "typescript";

export function keepAssigned(ts: typeof TS, declText: string, hasValue: (name: string) => boolean): string {
  const file = ts.createSourceFile("decl.d.ts", declText, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const kept: string[] = [];
  for (const stmt of file.statements) {
    if (ts.isVariableStatement(stmt)) {
      const decls = stmt.declarationList.declarations.filter((d) => boundNames(ts, d.name).every(hasValue));
      if (decls.length === 0) continue;
      if (decls.length === stmt.declarationList.declarations.length) kept.push(stmt.getFullText(file));
      else {
        const keyword = stmt.declarationList.getFullText(file).trimStart().split(/\s/)[0];
        const modifiers = (ts.getModifiers(stmt) ?? []).map((m) => m.getText(file)).join(" ");
        kept.push(`\n${modifiers ? modifiers + " " : ""}${keyword} ${decls.map((d) => d.getText(file)).join(", ")};`);
      }
      continue;
    }
    if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isEnumDeclaration(stmt)) && stmt.name) {
      if (hasValue(stmt.name.text)) kept.push(stmt.getFullText(file));
      continue;
    }
    if (ts.isImportDeclaration(stmt) && stmt.importClause) {
      // An import binding that names only a type has no value even when the import ran, so the
      // import is dropped only when none of its names has one (the require never happened).
      const names = importedNames(ts, stmt.importClause);
      if (names.length === 0 || names.some(hasValue)) kept.push(stmt.getFullText(file));
      continue;
    }
    kept.push(stmt.getFullText(file));
  }
  return kept.join("").replace(/^\n+/, "") + (kept.length > 0 ? "\n" : "");
}

function boundNames(ts: typeof TS, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...boundNames(ts, el.name));
  return out;
}

function importedNames(ts: typeof TS, c: TS.ImportClause): string[] {
  if (c.isTypeOnly) return [];
  const names: string[] = [];
  if (c.name) names.push(c.name.text);
  const b = c.namedBindings;
  if (b && ts.isNamespaceImport(b)) names.push(b.name.text);
  else if (b) for (const e of b.elements) if (!e.isTypeOnly) names.push(e.name.text);
  return names;
}
