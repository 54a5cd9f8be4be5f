// Rewriting every place a statement or terminator names (operands, destinations, borrowed, dropped and retained
// places), for passes that move a value from one place to another (opt/escape.ts: a Heap's pointee to a slot).
import type { Operand, Place, Statement, Terminator } from '../mir.js';
import { mapStatementOperands, mapTerminatorOperands } from './visit.js';

export type PlaceMap = (p: Place) => Place;

function mapOperand(o: Operand, fn: PlaceMap): Operand {
  return o.k === 'const' ? o : { ...o, place: fn(o.place) };
}

export function mapStatementPlaces(s: Statement, fn: PlaceMap): Statement {
  const ops = mapStatementOperands(s, (o) => mapOperand(o, fn));
  switch (ops.k) {
    case 'assign': {
      const r = ops.rvalue;
      const rvalue = r.k === 'ref' || r.k === 'discriminant' ? { ...r, place: fn(r.place) } : r;
      return { ...ops, place: fn(ops.place), rvalue };
    }
    case 'call':
      return { ...ops, dest: ops.dest ? fn(ops.dest) : null };
    case 'drop':
    case 'retain':
      return { ...ops, place: fn(ops.place) };
    default:
      return ops;
  }
}

export function mapTerminatorPlaces(t: Terminator, fn: PlaceMap): Terminator {
  return mapTerminatorOperands(t, (o) => mapOperand(o, fn));
}
