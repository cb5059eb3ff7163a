/**
 * tslab rewrites a reference to an earlier cell's variable `x` into `exports.x`, but it finds those
 * references through the checker's symbol for each identifier, and the identifier of a shorthand
 * property (`{ lr }`) resolves to the *property*, not the variable: the cell then fails at run time
 * with `ReferenceError: lr is not defined`. Spelling the property out (`{ lr: lr }`) before tslab
 * converts the cell gives its rewrite an ordinary identifier to work on. The two spellings mean the
 * same in an object literal and in an assignment pattern (`({ lr } = o)`, `({ lr = 1 } = o)`), so
 * the rewrite is always safe; it is limited to names declared by earlier cells so that diagnostics'
 * columns move only on the lines where the bug would have struck.
 */
import type * as TS from "typescript";

export function expandShorthands(ts: typeof TS, src: string, earlierNames: ReadonlySet<string>): string {
  if (earlierNames.size === 0 || !src.includes("{")) return src;
  const file = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TSX);
  const inserts: { pos: number; text: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node) && earlierNames.has(node.name.text)) {
      inserts.push({ pos: node.name.end, text: `: ${node.name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = src;
  for (const { pos, text } of inserts.sort((a, b) => b.pos - a.pos)) out = out.slice(0, pos) + text + out.slice(pos);
  return out;
}

/** Top-level names declared by the earlier cells (tslab hands them over as declaration text). */
export function declaredNames(ts: typeof TS, prevDecl: string): Set<string> {
  const names = new Set<string>();
  if (!prevDecl) return names;
  const file = ts.createSourceFile("prev.d.ts", prevDecl, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const addBinding = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const stmt of file.statements) {
    if (ts.isVariableStatement(stmt)) for (const d of stmt.declarationList.declarations) addBinding(d.name);
    else if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isEnumDeclaration(stmt)) && stmt.name) names.add(stmt.name.text);
    else if (ts.isImportDeclaration(stmt) && stmt.importClause) {
      const c = stmt.importClause;
      if (c.name) names.add(c.name.text);
      const b = c.namedBindings;
      if (b && ts.isNamespaceImport(b)) names.add(b.name.text);
      else if (b) for (const e of b.elements) names.add(e.name.text);
    }
  }
  return names;
}
