// Must NOT compile: proves the declarations carry real types (an `any` would let this through).
import { tensor } from "nnlab";
const s: string = tensor([1, 2]).data;
const t: number = tensor([1]).shape;
export { s, t };
